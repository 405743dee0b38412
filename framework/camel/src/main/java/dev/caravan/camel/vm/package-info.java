/**
 * The {@code caravan-vm:} component: one VM operation per exchange (describe, list, preflight, migrateLive,
 * migrateCold, moveStorage, abort) on {@link dev.caravan.api.vm.Hypervisor}s found by scheme; every move kept in
 * the engine's journal with its progress. The producer dispatches to the small classes of {@code operations}.
 */
package dev.caravan.camel.vm;
