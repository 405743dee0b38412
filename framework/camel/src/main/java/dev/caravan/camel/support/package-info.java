/** Helpers shared by the Caravan Camel components: option reflection, value parsing, operation responses. */
package dev.caravan.camel.support;
