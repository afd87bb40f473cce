package io.voicecoach.coaching.session;

import io.voicecoach.coaching.BoundedLru;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Each tenant's share of this instance's stream thread: a bucket of CPU nanoseconds per tenant, holding up to
 * {@code burst} and refilled at {@code perSecond} per second of wall clock. What the thread spends on a tenant's records
 * (any record: transcripts, session events, tool results, agent replies) is taken from its bucket; while the bucket is
 * empty the tenant's final transcripts are not classified (see {@link SessionProcessor}), so one tenant's flood of
 * expensive utterances cannot hold the thread that every other tenant on its partitions waits for.
 * <p>
 * Per instance and in memory (a partition that moves starts with full buckets on its new owner); the least recently
 * seen of more than {@code tenants} tenants is forgotten (it comes back with a full bucket). Thread-safe.
 */
final class TenantShares {

    private static final double NANOS_PER_SECOND = 1e9;

    private final long burstNanos;
    private final double refillPerNano;
    private final LongSupplier wallNanos;
    private final BoundedLru<String, Bucket> buckets;

    TenantShares(Duration perSecond, Duration burst, int tenants, LongSupplier wallNanos) {
        this.burstNanos = burst.toNanos();
        this.refillPerNano = perSecond.toNanos() / NANOS_PER_SECOND;
        this.wallNanos = wallNanos;
        this.buckets = new BoundedLru<>(tenants);
    }

    /** True if the tenant has CPU time left in its share now. Unlimited when {@code perSecond} is zero. */
    boolean hasShare(String tenantId) {
        if (refillPerNano == 0) {
            return true;
        }
        var bucket = bucket(tenantId);
        synchronized (bucket) {
            bucket.refill(wallNanos.getAsLong());
            return bucket.nanos > 0;
        }
    }

    /** Takes {@code cpuNanos} the thread spent on the tenant's record from its share (it may go below zero). */
    void spent(String tenantId, long cpuNanos) {
        if (refillPerNano == 0 || cpuNanos <= 0) {
            return;
        }
        var bucket = bucket(tenantId);
        synchronized (bucket) {
            bucket.refill(wallNanos.getAsLong());
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
