package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Map;

/**
 * A client session opened at the gateway.
 *
 * @param mode        {@code coach} (suggestions for a rep) or {@code agent} (the pipeline answers the caller)
 * @param callId      groups the sessions of one call (e.g. a rep's connection and a telephony stream)
 * @param repId       the rep the call belongs to, for per-rep analytics
 * @param tracks      the speaker tracks this session carries: {@code agent}, {@code customer}
 * @param language    BCP-47 language of the call
 * @param audioFormat audio format the client declared, before gateway normalisation
 * @param metadata    free-form client metadata, kept for analytics
 */
@RegisterForReflection
public record SessionStarted(String mode, String callId, String repId, java.util.List<String> tracks, String language,
                             String audioFormat, Map<String, String> metadata) implements SessionEvent {
}
