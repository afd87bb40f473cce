package io.voicecoach.analytics.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.analytics.store.ToolCallRow;

import java.time.Duration;
import java.time.Instant;

/**
 * A tool call of the session.
 *
 * @param outcome       {@code ok}, {@code error}, or {@code pending} while no result has arrived
 * @param toolLatencyMs time the tool service spent on the call, as it reported
 * @param roundTripMs   result published - call published; null until both arrived
 */
@RegisterForReflection
public record ToolCallView(String callId, String tool, JsonNode arguments, String requestedBy, Long timeoutMs,
                           Instant requestedAt, Instant completedAt, String outcome, JsonNode result,
                           String errorCode, String errorMessage, Long toolLatencyMs, Long roundTripMs) {

    public static final String PENDING = "pending";

    static ToolCallView of(ToolCallRow row) {
        return new ToolCallView(row.callId, row.tool, Json.tree(row.arguments), row.requestedBy, row.timeoutMs,
                row.requestedAt, row.completedAt, row.status == null ? PENDING : row.status, Json.tree(row.result),
                row.errorCode, row.errorMessage, row.toolLatencyMs,
                row.requestedAt == null || row.completedAt == null ? null
                        : Duration.between(row.requestedAt, row.completedAt).toMillis());
    }
}
