/** The operations of the {@code caravan-objects:} producer, one small class each. */
package dev.caravan.camel.objects.operations;
