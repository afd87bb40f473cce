package io.voicecoach.gateway.limits;

/** A token bucket of {@code capacity} tokens refilled at {@code perSecond}. */
public final class TokenBucket {

    private static final double NANOS_PER_SECOND = 1e9;

    private final int capacity;
    private final double perSecond;
    private double tokens;
    private long refilledAt;

    public TokenBucket(int capacity, double perSecond) {
        this.capacity = capacity;
        this.perSecond = perSecond;
        this.tokens = capacity;
        this.refilledAt = System.nanoTime();
    }

    /** {@code perMinute} a minute, bursts of ten seconds' worth (at least one). */
    public static TokenBucket perMinute(int perMinute) {
        return new TokenBucket(Math.max(1, (perMinute + 5) / 6), perMinute / 60.0);
    }

    /** True if a request may go through now; takes its token. */
    public synchronized boolean tryAcquire() {
        refill();
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    /** True if {@code count} tokens are there now; takes them if so (none otherwise). */
    public synchronized boolean tryAcquire(long count) {
        refill();
        if (tokens < count) {
            return false;
        }
        tokens -= count;
        return true;
    }

    /** Returns a token taken by a request that was refused elsewhere. */
    public synchronized void giveBack() {
        tokens = Math.min(capacity, tokens + 1);
    }

    public int capacity() {
        return capacity;
    }

    public synchronized long remaining() {
        refill();
        return (long) Math.floor(tokens);
    }

    /** Seconds until the bucket is full again. */
    public synchronized double secondsToFull() {
        refill();
        return perSecond == 0 ? 0 : (capacity - tokens) / perSecond;
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - refilledAt) * perSecond / NANOS_PER_SECOND);
        refilledAt = now;
    }
}
