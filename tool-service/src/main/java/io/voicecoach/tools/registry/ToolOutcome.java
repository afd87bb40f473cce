package io.voicecoach.tools.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.events.ToolError;
import io.voicecoach.events.ToolResult;

/**
 * What running a tool produced: a JSON result, or an error with optional details (published as the error result's
 * {@code result}, e.g. {@code {"violations": [...]}} or {@code {"alternatives": [...]}}).
 */
public record ToolOutcome(JsonNode result, ToolError error) {

    public static ToolOutcome ok(JsonNode result) {
        return new ToolOutcome(result, null);
    }

    public static ToolOutcome failed(String code, String message) {
        return new ToolOutcome(null, new ToolError(code, message));
    }

    public static ToolOutcome failed(ToolException e) {
        return new ToolOutcome(e.details(), e.toError());
    }

    public String status() {
        return error == null ? ToolResult.OK : ToolResult.ERROR;
    }
}
