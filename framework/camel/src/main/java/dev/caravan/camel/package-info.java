/**
 * Camel adapters of Caravan: the {@code caravan:} component (one whole migration per exchange, see
 * {@link dev.caravan.camel.migration}) and the {@code caravan-objects:} component (one object per exchange, see
 * {@link dev.caravan.camel.objects}). Connectors stay plain SPI implementations; these components find them
 * through {@link dev.caravan.core.registry.ConnectorRegistry}.
 */
package dev.caravan.camel;
