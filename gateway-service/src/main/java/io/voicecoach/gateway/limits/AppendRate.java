package io.voicecoach.gateway.limits;

import java.time.Duration;

/**
 * The appends of one session: {@code perSecond} a second, bursts of up to {@code perSecond}; and, for Realtime
 * sessions, the audio they carry: at most {@code maxAudioRate} x real time after a burst of {@code audioBurst} of
 * audio, judged on the encoded size before anything is decoded.
 */
public final class AppendRate {

    private final int perSecond;
    private final TokenBucket bucket;
    /** Milliseconds of audio; null: not bounded here. */
    private final TokenBucket audio;

    public AppendRate(int perSecond) {
        this(perSecond, 0, Duration.ZERO);
    }

    /** @param maxAudioRate audio per second of wall clock, relative to real time; {@code 0}: not bounded */
    public AppendRate(int perSecond, double maxAudioRate, Duration audioBurst) {
        this.perSecond = perSecond;
        this.bucket = new TokenBucket(perSecond, perSecond);
        this.audio = maxAudioRate <= 0 ? null
                : new TokenBucket((int) Math.min(Integer.MAX_VALUE, audioBurst.toMillis()), maxAudioRate * 1000);
    }

    /** True if an append may go through now; takes its token. */
    public boolean tryAcquire() {
        return bucket.tryAcquire();
    }

    /** True if {@code audioMillis} of audio fit in the session's audio budget now; takes them if so. */
    public boolean tryAcquireAudio(long audioMillis) {
        return audio == null || audio.tryAcquire(audioMillis);
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
