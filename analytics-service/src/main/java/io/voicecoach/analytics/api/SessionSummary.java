package io.voicecoach.analytics.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/**
 * @param team           client metadata {@code team}
 * @param outcome        client metadata {@code outcome}
 * @param objectionCount objection prompts of the session, one per (utterance, category)
 */
@RegisterForReflection
public record SessionSummary(String sessionId, String callId, String repId,
                             @Schema(description = "client metadata 'team' (session.started, session.updated)") String team,
                             @Schema(description = "client metadata 'outcome', e.g. won, lost, follow_up") String outcome,
                             String mode, Instant startedAt,
                             Instant endedAt, String endReason, Long durationMs, long utteranceCount,
                             long suggestionCount, long objectionCount) {

    /** @param nextCursor pass as {@code cursor} for the next page; null on the last page */
    @RegisterForReflection
    public record Page(List<SessionSummary> sessions,
                       @Schema(description = "Opaque; pass as cursor to get the next page. Null on the last page.")
                       String nextCursor) {
    }
}
