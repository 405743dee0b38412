/**
 * VM orchestration on top of the {@link dev.caravan.api.vm.Hypervisor} SPI: cold migration (shutdown, disk copy
 * through the object engine, define, start, remove the source) and opening hypervisors by URI. Live and storage
 * migration are single hypervisor operations and need no orchestration.
 */
package dev.caravan.core.vm;
