package dev.caravan.core;

/** Small helpers for the engine's own threads. */
public final class Threads {
    private Threads() {
    }

    /**
     * Waits until {@code thread} has ended, even when this thread is interrupted meanwhile (a reader must stop before
     * what it reads is closed); the interrupt is kept for the caller.
     */
    public static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true; // ask again
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
