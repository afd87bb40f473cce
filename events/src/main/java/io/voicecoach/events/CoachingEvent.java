package io.voicecoach.events;

/** Payloads on {@link Topics#SUGGESTIONS}, published by coaching-service. */
public sealed interface CoachingEvent extends Payload permits Suggestion, SuggestionCard, StageChanged, LlmUsage,
        CallSummary, ComplianceChecklist {
}
