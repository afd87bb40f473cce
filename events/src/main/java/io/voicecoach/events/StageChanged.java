package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The call moved to another stage of the tenant's sales methodology (e.g. SPIN: situation -> problem). */
@RegisterForReflection
public record StageChanged(String methodology, String stage, String previousStage, String utteranceId, long atMs) implements CoachingEvent {
}
