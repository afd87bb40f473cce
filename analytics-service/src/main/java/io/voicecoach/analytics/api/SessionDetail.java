package io.voicecoach.analytics.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.analytics.latency.SessionLatency;

import java.time.Instant;
import java.util.List;

/** A session with everything analytics holds about it. */
@RegisterForReflection
public record SessionDetail(String sessionId, String tenantId, String callId, String repId, String mode,
                            Instant startedAt, Instant endedAt, String endReason, Long durationMs,
                            List<UtteranceView> utterances, List<SuggestionView> suggestions,
                            SessionLatency latency) {
}
