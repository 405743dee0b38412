/**
 * The {@code caravan:} component: one whole migration per exchange ({@code migrate}, {@code plan} or
 * {@code verify}), handy behind a one-shot timer, a Quartz schedule or a REST call.
 */
package dev.caravan.camel.migration;
