/**
 * The {@code caravan-objects:<scheme>:<location>} component: the consumer emits one exchange per object to move
 * (the diff of a source store against a target store), the producer runs one object operation per exchange
 * (stat, get, put, copy, delete, verify) through small classes in {@code operations}.
 */
package dev.caravan.camel.objects;
