/**
 * Camel adapters of Caravan: the {@code caravan:} component (one whole migration per exchange, see
 * {@link dev.caravan.camel.migration}), the {@code caravan-objects:} component (one object per exchange, see
 * {@link dev.caravan.camel.objects}) and the {@code caravan-vm:} component (one VM operation per exchange: describe,
 * preflight, live/cold/storage moves, abort; see {@link dev.caravan.camel.vm}). Connectors stay plain SPI
 * implementations; these components find them through {@link dev.caravan.core.registry.ConnectorRegistry}.
 */
package dev.caravan.camel;
