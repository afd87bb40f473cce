package io.voicecoach.tools.registry;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Optional;

/**
 * One call of a tool on behalf of a tenant; {@code arguments} is the raw JSON the caller sent, possibly not an object.
 * {@code deadline} (may be null) is when the answer is due; tools that wait on the network stop by then.
 * The readers below are for tools, which only see arguments that passed their schema.
 */
public record ToolInvocation(String tenantId, String sessionId, String callId, String tool, JsonNode arguments,
                             Instant deadline) {

    /** A call without a deadline of its own. */
    public ToolInvocation(String tenantId, String sessionId, String callId, String tool, JsonNode arguments) {
        this(tenantId, sessionId, callId, tool, arguments, null);
    }

    /** A string argument, stripped; absent, JSON null and blank are empty. */
    public Optional<String> string(String name) {
        JsonNode value = arguments == null ? null : arguments.get(name);
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(value.textValue().strip());
    }

    public String requiredString(String name) {
        return string(name).orElseThrow(() -> ToolException.invalidArguments("argument '" + name + "' is required"));
    }

    public int integer(String name, int fallback) {
        JsonNode value = arguments == null ? null : arguments.get(name);
        return value != null && value.canConvertToInt() ? value.intValue() : fallback;
    }
}
