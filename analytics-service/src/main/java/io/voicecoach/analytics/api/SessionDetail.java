package io.voicecoach.analytics.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.analytics.latency.SessionLatency;
import io.voicecoach.analytics.metrics.SessionMetrics;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** A session with everything analytics holds about it. */
@RegisterForReflection
public record SessionDetail(String sessionId, String tenantId, String callId, String repId, String mode,
                            Instant startedAt, Instant endedAt, String endReason, Long durationMs,
                            List<UtteranceView> utterances, List<SuggestionView> suggestions,
                            @Schema(description = "Tool calls of the session, by requestedAt, with outcome "
                                    + "(ok, error, pending) and latency (toolLatencyMs reported by the tool service, "
                                    + "roundTripMs = result published - call published)")
                            List<ToolCallView> toolCalls,
                            @Schema(description = "Per hop {count, p50, p95, max} in ms, nearest-rank: "
                                    + "transcriptToSuggestionMs = suggestedAt - transcriptAt, suggestionToClientMs = "
                                    + "deliveredAt - suggestedAt, endToEndMs = deliveredAt - receivedAt")
                            SessionLatency latency,
                            @Schema(description = SessionMetricsDocs.METRICS)
                            SessionMetrics metrics) {
}
