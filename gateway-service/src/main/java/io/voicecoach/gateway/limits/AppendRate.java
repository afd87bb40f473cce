package io.voicecoach.gateway.limits;

/** A token bucket: {@code perSecond} appends a second, bursts of up to {@code perSecond}. One per session. */
public final class AppendRate {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final int perSecond;
    private double tokens;
    private long refilledAt;

    public AppendRate(int perSecond) {
        this.perSecond = perSecond;
        this.tokens = perSecond;
        this.refilledAt = System.nanoTime();
    }

    /** True if an append may go through now; takes its token. */
    public synchronized boolean tryAcquire() {
        refill();
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    public int perSecond() {
        return perSecond;
    }

    /** Appends that may go through at once now. */
    public synchronized long remaining() {
        refill();
        return (long) Math.floor(tokens);
    }

    /** Seconds until the bucket is full again. */
    public synchronized double secondsToFull() {
        refill();
        return (perSecond - tokens) / perSecond;
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(perSecond, tokens + (now - refilledAt) * (double) perSecond / NANOS_PER_SECOND);
        refilledAt = now;
    }
}
