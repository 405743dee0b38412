/** The operations of the {@code caravan-vm:} producer, one small class each. */
package dev.caravan.camel.vm.operations;
