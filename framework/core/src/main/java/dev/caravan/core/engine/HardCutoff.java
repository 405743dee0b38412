package dev.caravan.core.engine;

import dev.caravan.api.error.ErrorKind;
import dev.caravan.api.error.MigrationException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.BooleanSupplier;

/**
 * Stops the transfers in flight once a command's max duration is up ({@code --cutoff-mode hard}), or once the engine
 * stops its runs ({@link #interruptWhen}: {@link MigrationEngine#close()}, {@link MigrationEngine#stopRuns}). The copy pipeline
 * reads every byte it sends through {@link #guard}ed streams, and checks {@link #check} before each attempt; once the
 * deadline has passed, the next read throws {@link CutOff}, so a transfer stops within one read (one 64 KiB block of a
 * bandwidth-limited one). The runner then leaves the object as a killed process would have: not failed, not done,
 * still RUNNING in the journal with the checkpoint of its last finished part, for the next run to continue from.
 * Until {@link #arm armed}, and once {@link #disarm disarmed}, it never stops anything. Thread-safe.
 */
final class HardCutoff {
    private static final BooleanSupplier NEVER_DUE = () -> false;

    private volatile BooleanSupplier due = NEVER_DUE;
    /** True once the engine stops its runs: every transfer in flight is to stop, deadline or not. */
    private volatile BooleanSupplier interrupt = NEVER_DUE;
    /** The objects stopped, by source key, sorted for the run's message. */
    private final Set<String> cut = new ConcurrentSkipListSet<>();

    /** A cut-off that never stops anything (a copy outside a run). */
    static HardCutoff never() {
        return new HardCutoff();
    }

    /** Makes the transfers in flight stop once {@code deadlinePassed} is true. */
    void arm(BooleanSupplier deadlinePassed) {
        this.due = deadlinePassed;
    }

    /** Makes the transfers in flight stop once {@code stopping} is true (the engine stops its runs), as at a deadline. */
    void interruptWhen(BooleanSupplier stopping) {
        this.interrupt = stopping;
    }

    /** Stops nothing from now on (the transfers are over: deletions and the runs after are not cut). */
    void disarm() {
        this.due = NEVER_DUE;
        this.interrupt = NEVER_DUE;
    }

    /** Whether the deadline has passed or the engine stops its runs: every transfer in flight is to stop. */
    boolean due() {
        return due.getAsBoolean() || interrupt.getAsBoolean();
    }

    /** Whether the engine stops its runs ({@link #interruptWhen}), rather than a deadline. */
    boolean interrupting() {
        return interrupt.getAsBoolean();
    }

    /** Throws {@link CutOff} when the deadline has passed: a transfer (or an attempt of one) does not begin. */
    void check(String key) {
        if (due()) {
            throw new CutOff(key, interrupting());
        }
    }

    /** {@code in}, whose next read throws {@link CutOff} once the deadline has passed. */
    InputStream guard(InputStream in, String key) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                check(key);
                return super.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                check(key);
                return super.read(b, off, len);
            }
        };
    }

    /**
     * Whether the transfer of {@code key}, which ended with {@code failure}, was stopped by this cut-off (the deadline
     * has passed: whatever the store made of the stopped read); if so it is counted among the objects cut off.
     */
    boolean stopped(String key, Throwable failure) {
        if (failure instanceof CutOff || due()) {
            cut.add(key);
            return true;
        }
        return false;
    }

    /** The source keys of the objects stopped in flight, sorted. */
    List<String> cutOff() {
        return List.copyOf(cut);
    }

    /**
     * A transfer stopped at the deadline. FATAL, so that nothing retries it; the runner knows it for what it is
     * ({@link #stopped}) and neither fails the object nor stops the run for it.
     */
    static final class CutOff extends MigrationException {
        CutOff(String key, boolean shutdown) {
            super(ErrorKind.FATAL, key + (shutdown ? ": stopped, the engine is shutting down"
                    : ": stopped at the max duration (--cutoff-mode hard)"));
        }
    }
}
