package io.voicecoach.bench.load;

import java.time.Instant;

/** Maps this process's {@link System#nanoTime()} readings onto wall-clock instants, from one reading of both. */
final class EpochClock {

    private final long baseNanos;
    private final Instant base;

    EpochClock() {
        this(System.nanoTime(), Instant.now());
    }

    EpochClock(long baseNanos, Instant base) {
        this.baseNanos = baseNanos;
        this.base = base;
    }

    Instant instant(long nanos) {
        return nanos == CallRecord.NONE ? null : base.plusNanos(nanos - baseNanos);
    }

    long nanos(Instant instant) {
        return baseNanos + java.time.Duration.between(base, instant).toNanos();
    }
}
