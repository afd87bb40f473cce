package io.voicecoach.tools.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import io.voicecoach.tools.registry.Tool;
import io.voicecoach.tools.registry.ToolDefinition;
import io.voicecoach.tools.registry.ToolInvocation;

/** A tenant's webhook tool, ready to run: its stored definition, its compiled result schema and the caller. */
public record WebhookTool(WebhookToolSpec spec, JsonSchema resultSchema, WebhookCaller caller) implements Tool {

    @Override
    public ToolDefinition definition() {
        return spec.definition();
    }

    @Override
    public JsonNode run(ToolInvocation invocation) {
        return caller.call(spec, resultSchema, invocation);
    }
}
