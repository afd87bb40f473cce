package io.voicecoach.coaching.stage;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Where one call stands against the playbook: its stage, the must-say rules said, those already nudged about, and
 * when the call began (event time) with the next must-say deadline, for the timer; whether the session lacks the rep's
 * track.
 */
@RegisterForReflection
public final class ProgressState {

    private String stage;
    private final Set<String> said = new HashSet<>();
    private final Set<String> nudged = new HashSet<>();
    /** Rule id -> the utterance that said (must-say) or first broke (must-not-say) it, for the checklist. */
    private final Map<String, String> saidIn = new HashMap<>();
    private final Map<String, String> brokenIn = new HashMap<>();
    /** Event time of call time 0; the id of the event it was taken from (the timer's nudges derive their ids from it). */
    private Instant callStart;
    private UUID callStartEventId;
    /** When the earliest must-say rule neither said nor nudged about is due; null for none. */
    private Instant nextMustSayAt;
    /** The session does not carry the rep's track (a customer leg): no compliance checks, no checklist. */
    private boolean withoutRep;

    public String stage() {
        return stage;
    }

    void stage(String stage) {
        this.stage = stage;
    }

    Set<String> said() {
        return said;
    }

    Set<String> nudged() {
        return nudged;
    }

    Map<String, String> saidIn() {
        return saidIn;
    }

    Map<String, String> brokenIn() {
        return brokenIn;
    }

    public Instant callStart() {
        return callStart;
    }

    /** Where the timer's nudges derive their ids from: the same on whichever instance the timer fires. */
    public UUID callStartEventId() {
        return callStartEventId;
    }

    void callStart(Instant at, UUID eventId) {
        this.callStart = at;
        this.callStartEventId = eventId;
    }

    public Instant nextMustSayAt() {
        return nextMustSayAt;
    }

    void nextMustSayAt(Instant due) {
        this.nextMustSayAt = withoutRep ? null : due;
    }

    public boolean withoutRep() {
        return withoutRep;
    }

    void withoutRep(boolean withoutRep) {
        this.withoutRep = withoutRep;
        if (withoutRep) {
            this.nextMustSayAt = null;
        }
    }
}
