package io.voicecoach.coaching.nudge;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * One session's talk measures and cool-downs, kept in the session's state (serialised with it). Cool-downs are
 * judged by event time, so a session processed again after a partition move fires the same nudges.
 */
@RegisterForReflection
public final class NudgeState {

    private TalkTracker talk;
    private final Map<String, Instant> lastFired = new HashMap<>();

    /** For the state codec. */
    NudgeState() {
    }

    NudgeState(long windowMs) {
        this.talk = new TalkTracker(windowMs);
    }

    TalkTracker talk() {
        return talk;
    }

    /** Customer speech in the talk-ratio window (call time), the session's own and its call's other legs'. */
    public long customerSpeechInWindowMs() {
        return talk.speechInWindowMs() - talk.repSpeechInWindowMs();
    }

    /** True when {@code what} fired less than {@code cooldown} before {@code at} (nothing is remembered). */
    boolean coolingDown(String what, Instant at, Duration cooldown) {
        var last = lastFired.get(what);
        return last != null && at.isBefore(last.plus(cooldown));
    }

    /** True, and remembers {@code now}, when {@code what} last fired at least {@code cooldown} before it, or never. */
    boolean coolDown(String what, Instant now, Duration cooldown) {
        var last = lastFired.get(what);
        if (last != null && now.isBefore(last.plus(cooldown))) {
            return false;
        }
        lastFired.put(what, now);
        return true;
    }
}
