package io.voicecoach.coaching.suggest;

import io.voicecoach.coaching.BoundedLru;
import io.voicecoach.coaching.CoachingConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/** Recently handled transcript event ids, so a redelivered event is coached once. Bounded; oldest forgotten first. */
@ApplicationScoped
public class SeenEvents {

    private final BoundedLru<UUID, Boolean> seen;

    public SeenEvents(CoachingConfig config) {
        this.seen = new BoundedLru<>(config.dedupCapacity());
    }

    /** True the first time an event id is offered. */
    public boolean firstTime(UUID eventId) {
        return seen.putIfAbsent(eventId, Boolean.TRUE);
    }
}
