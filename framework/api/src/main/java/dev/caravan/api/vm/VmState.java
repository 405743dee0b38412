package dev.caravan.api.vm;

/** Power state of a domain. */
public enum VmState {
    RUNNING, PAUSED, SHUTTING_DOWN, SHUT_OFF, CRASHED, OTHER
}
