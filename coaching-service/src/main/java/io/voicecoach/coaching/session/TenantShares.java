package io.voicecoach.coaching.session;

import io.voicecoach.coaching.BoundedLru;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Each tenant's share of this instance's stream thread: a bucket of CPU nanoseconds per tenant, holding up to
 * {@code burst} and refilled at {@code perSecond} per second of wall clock. What the thread spends on a tenant's records
 * (any record: transcripts, session events, tool results, agent replies) is taken from its bucket; while the bucket is
 * empty the tenant's final transcripts are not classified (see {@link SessionProcessor}), so one tenant's flood of
 * expensive utterances cannot hold the thread that every other tenant on its partitions waits for. A tenant alone on
 * the thread (no other tenant's record processed within {@code othersWithin}) is classified whatever its share: there
 * is nobody to be fair to.
 * <p>
 * Per instance and in memory (a partition that moves starts with full buckets on its new owner); the least recently
 * seen of more than {@code tenants} tenants is forgotten (it comes back with a full bucket). Thread-safe.
 */
final class TenantShares {

    private static final double NANOS_PER_SECOND = 1e9;

    private final long burstNanos;
    private final double refillPerNano;
    private final LongSupplier wallNanos;
    private final long othersWithinNanos;
    private final BoundedLru<String, Bucket> buckets;
    /** The tenant whose record was processed last, and the last other tenant before it, with when. */
    private String latest;
    private long latestAt;
    private String previous;
    private long previousAt;

    TenantShares(Duration perSecond, Duration burst, Duration othersWithin, int tenants, LongSupplier wallNanos) {
        this.burstNanos = burst.toNanos();
        this.othersWithinNanos = othersWithin.toNanos();
        this.refillPerNano = perSecond.toNanos() / NANOS_PER_SECOND;
        this.wallNanos = wallNanos;
        this.buckets = new BoundedLru<>(tenants);
    }

    /**
     * True if the tenant has CPU time left in its share now, or no other tenant used the thread lately. Unlimited when
     * {@code perSecond} is zero.
     */
    boolean hasShare(String tenantId) {
        if (refillPerNano == 0) {
            return true;
        }
        long now = wallNanos.getAsLong();
        var bucket = bucket(tenantId);
        synchronized (bucket) {
            bucket.refill(now);
            if (bucket.nanos > 0) {
                return true;
            }
        }
        return !othersActive(tenantId, now);
    }

    private synchronized boolean othersActive(String tenantId, long now) {
        return latest != null && !latest.equals(tenantId) ? now - latestAt <= othersWithinNanos
                : previous != null && now - previousAt <= othersWithinNanos;
    }

    private synchronized void seen(String tenantId, long now) {
        if (!tenantId.equals(latest)) {
            previous = latest;
            previousAt = latestAt;
            latest = tenantId;
        }
        latestAt = now;
    }

    /** Takes {@code cpuNanos} the thread spent on the tenant's record from its share (it may go below zero). */
    void spent(String tenantId, long cpuNanos) {
        if (refillPerNano == 0) {
            return;
        }
        long now = wallNanos.getAsLong();
        seen(tenantId, now);
        if (cpuNanos <= 0) {
            return;
        }
        var bucket = bucket(tenantId);
        synchronized (bucket) {
            bucket.refill(now);
            // a debt of more than one burst would keep the tenant unclassified long after it stopped
            bucket.nanos = Math.max(-burstNanos, bucket.nanos - cpuNanos);
        }
    }

    private Bucket bucket(String tenantId) {
        return buckets.computeIfAbsent(tenantId, t -> new Bucket(burstNanos, wallNanos.getAsLong()));
    }

    private final class Bucket {
        private double nanos;
        private long refilledAt;

        Bucket(long nanos, long now) {
            this.nanos = nanos;
            this.refilledAt = now;
        }

        void refill(long now) {
            nanos = Math.min(burstNanos, nanos + (now - refilledAt) * refillPerNano);
            refilledAt = now;
        }
    }
}
