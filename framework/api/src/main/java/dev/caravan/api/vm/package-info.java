/**
 * Caravan SPI: virtual machines. A {@link dev.caravan.api.vm.Hypervisor} is one host (one libvirt connection):
 * list and describe domains, preflight a move, migrate live (pre-copy, shared disk or shared nothing), move storage
 * while running, report job progress, abort. Cold migration is orchestrated by the engine
 * ({@code dev.caravan.core.vm}) from the smaller operations here (shutdown, definition, volume store, define,
 * start, undefine). Plain Java, no Camel and no vendor SDK.
 */
package dev.caravan.api.vm;
