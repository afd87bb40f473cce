package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/** Post-call summary with next steps, written after {@code session.ended}. */
@RegisterForReflection
public record CallSummary(String summary, List<String> nextSteps, String model) implements CoachingEvent {
}
