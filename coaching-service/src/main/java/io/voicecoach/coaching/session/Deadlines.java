package io.voicecoach.coaching.session;

import java.time.Duration;
import java.time.Instant;

/**
 * When an event-time deadline (a battle card's wait, a tool round's timeout) counts as passed. Deterministically once
 * the task's stream time (the newest record timestamp it processed) is past it: every record published before the
 * deadline has then been processed, so an answer in time is never judged late. In a partition that is quiet (no
 * newer record comes), also once the wall clock is past it, but only after {@code takeoverGrace} since this instance
 * took the partition over, so that a new owner first processes what is queued (answers published in time) before it
 * gives up on anything.
 */
public final class Deadlines {

    private final long streamTimeMs;
    private final Instant now;
    private final Instant takenOverAt;
    private final Duration takeoverGrace;

    public Deadlines(long streamTimeMs, Instant now, Instant takenOverAt, Duration takeoverGrace) {
        this.streamTimeMs = streamTimeMs;
        this.now = now;
        this.takenOverAt = takenOverAt;
        this.takeoverGrace = takeoverGrace;
    }

    public boolean passed(Instant deadline) {
        return passed(deadline, Duration.ZERO);
    }

    /** As {@link #passed(Instant)}, but the wall clock only counts {@code wallSlack} after the deadline. */
    public boolean passed(Instant deadline, Duration wallSlack) {
        return streamTimeMs > deadline.plus(takeoverGrace).toEpochMilli()
                || (now.isAfter(deadline.plus(wallSlack)) && settled());
    }

    /** The takeover grace is over: what the previous owner left queued has had its chance to be processed. */
    public boolean settled() {
        return now.isAfter(takenOverAt.plus(takeoverGrace));
    }
}
