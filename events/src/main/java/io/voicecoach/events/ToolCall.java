package io.voicecoach.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A request to run a tenant tool.
 *
 * @param callId      idempotency key: a redelivered call runs once and re-publishes the same result
 * @param tool        the tool's name, e.g. {@code get_battle_card}
 * @param arguments   JSON object matching the tool's parameter schema
 * @param requestedBy service that asked, e.g. {@code coaching-service}
 * @param timeoutMs   how long the caller will wait; the tool service gives up after it
 */
@RegisterForReflection
public record ToolCall(String callId, String tool, JsonNode arguments, String requestedBy, long timeoutMs) implements Payload {
}
