package io.voicecoach.bench.stt;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Waiting in the benchmark's polling loops and for real-time pacing. */
final class Pause {

    static void millis(long millis) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    /** Parks until {@link System#nanoTime()} reaches {@code deadline}. */
    static void until(long deadlineNanos) {
        long wait;
        while ((wait = deadlineNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    private Pause() {
    }
}
