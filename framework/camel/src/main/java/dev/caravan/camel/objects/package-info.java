/**
 * The {@code caravan-objects:<scheme>:<location>} component: the consumer emits one exchange per object to move
 * (core's plan of a source store against a target store; with the engine's journal, one run per pass and one task
 * per exchange), the producer runs one object operation per exchange (stat, get, put, copy, delete, verify) through
 * small classes in {@code operations}; copy and put go through core's copy pipeline.
 */
package dev.caravan.camel.objects;
