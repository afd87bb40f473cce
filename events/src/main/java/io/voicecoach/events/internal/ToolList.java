package io.voicecoach.events.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * 200 body of tool-service's {@code GET /internal/v1/tenants/{tenantId}/tools}: the tenant's enabled tools in the
 * chat-completions {@code tools} format, {@code {"type": "function", "function": {name, description, parameters}}},
 * sorted by name.
 */
@RegisterForReflection
public record ToolList(List<JsonNode> tools) {

    public ToolList {
        tools = tools == null ? List.of() : List.copyOf(tools);
    }
}
