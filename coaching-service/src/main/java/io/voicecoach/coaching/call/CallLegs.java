package io.voicecoach.coaching.call;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The legs of one call of one tenant, in the {@code coaching-calls} store (changelog backed) under {@link CallKeys#of}. */
@RegisterForReflection
public final class CallLegs {

    /** Sessions that left, remembered so their late speech does not bring them back. */
    static final int LEFT_REMEMBERED = 16;

    /** Session id of each leg, with the event time it joined. */
    final Map<String, Instant> legs = new LinkedHashMap<>();
    final Set<String> left = new LinkedHashSet<>();
    /** Event time of the latest record of the call (inactivity TTL). */
    Instant lastAt;

    CallLegs() {
    }

    /** Adds the leg unless it left or the call already has {@code maxLegs}; false when it is not a leg then. */
    boolean join(String sessionId, Instant at, int maxLegs) {
        if (legs.containsKey(sessionId)) {
            return true;
        }
        if (left.contains(sessionId) || legs.size() >= maxLegs) {
            return false;
        }
        legs.put(sessionId, at);
        return true;
    }

    void leave(String sessionId) {
        legs.remove(sessionId);
        left.add(sessionId);
        if (left.size() > LEFT_REMEMBERED) {
            left.remove(left.iterator().next());
        }
    }

    /** The legs' session ids. */
    public Set<String> sessions() {
        return Set.copyOf(legs.keySet());
    }

    List<String> othersThan(String sessionId) {
        return legs.keySet().stream().filter(leg -> !leg.equals(sessionId)).toList();
    }

    void seen(Instant at) {
        if (lastAt == null || at.isAfter(lastAt)) {
            lastAt = at;
        }
    }

    boolean empty() {
        return legs.isEmpty();
    }
}
