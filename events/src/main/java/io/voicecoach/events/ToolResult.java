package io.voicecoach.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Outcome of a {@link ToolCall}.
 *
 * @param status    {@code ok} or {@code error}
 * @param result    the tool's JSON result when ok
 * @param error     code and message when not ok, meant for the caller (or LLM) to recover from
 * @param latencyMs time the tool service spent on the call
 */
@RegisterForReflection
public record ToolResult(String callId, String tool, String status, JsonNode result, ToolError error, long latencyMs) implements Payload {

    public static final String OK = "ok";
    public static final String ERROR = "error";

    public boolean ok() {
        return OK.equals(status);
    }
}
