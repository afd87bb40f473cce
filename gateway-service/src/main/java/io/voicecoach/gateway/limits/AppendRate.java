package io.voicecoach.gateway.limits;

/** The appends of one session: {@code perSecond} a second, bursts of up to {@code perSecond}. */
public final class AppendRate {

    private final int perSecond;
    private final TokenBucket bucket;

    public AppendRate(int perSecond) {
        this.perSecond = perSecond;
        this.bucket = new TokenBucket(perSecond, perSecond);
    }

    /** True if an append may go through now; takes its token. */
    public boolean tryAcquire() {
        return bucket.tryAcquire();
    }

    public int perSecond() {
        return perSecond;
    }

    /** Appends that may go through at once now. */
    public long remaining() {
        return bucket.remaining();
    }

    /** Seconds until the bucket is full again. */
    public double secondsToFull() {
        return bucket.secondsToFull();
    }
}
