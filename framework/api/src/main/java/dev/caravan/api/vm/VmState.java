package dev.caravan.api.vm;

/** Power state of a domain. */
public enum VmState {
    RUNNING, PAUSED, SHUT_OFF, CRASHED, OTHER
}
