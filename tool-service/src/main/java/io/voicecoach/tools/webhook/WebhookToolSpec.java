package io.voicecoach.tools.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.tools.registry.ToolDefinition;

/** A tenant's webhook tool as read from the database: definition, endpoint and how to call it. */
public record WebhookToolSpec(String tenantId, String name, String description, JsonNode parameters, boolean enabled,
                              String url, String signingSecret, int timeoutMs, boolean idempotent,
                              JsonNode resultSchema, int version) {

    public ToolDefinition definition() {
        return new ToolDefinition(name, description, parameters);
    }
}
