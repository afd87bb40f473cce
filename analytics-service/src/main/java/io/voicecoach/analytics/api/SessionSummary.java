package io.voicecoach.analytics.api;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;

@RegisterForReflection
public record SessionSummary(String sessionId, String callId, String repId, String mode, Instant startedAt,
                             Instant endedAt, String endReason, Long durationMs, long utteranceCount,
                             long suggestionCount) {

    @RegisterForReflection
    public record Page(List<SessionSummary> sessions) {
    }
}
