package io.voicecoach.tools.registry;

import com.fasterxml.jackson.databind.JsonNode;

/** One call of a tool on behalf of a tenant; {@code arguments} is the raw JSON the caller sent, possibly not an object. */
public record ToolInvocation(String tenantId, String sessionId, String callId, String tool, JsonNode arguments) {
}
