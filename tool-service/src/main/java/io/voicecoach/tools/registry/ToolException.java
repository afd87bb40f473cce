package io.voicecoach.tools.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.events.ToolError;

/**
 * An expected tool failure, reported to the caller as a {@link ToolError} with {@link #code()}. {@link #details()}
 * (optional) is a JSON object the caller can recover with, e.g. the violations or the alternative slots; it is
 * published as the error result's {@code result}.
 */
public class ToolException extends RuntimeException {

    private final String code;
    private final transient JsonNode details;

    public ToolException(String code, String message) {
        this(code, message, null);
    }

    public ToolException(String code, String message, JsonNode details) {
        super(message);
        this.code = code;
        this.details = details;
    }

    public static ToolException invalidArguments(String message) {
        return new ToolException(ToolErrors.INVALID_ARGUMENTS, message);
    }

    public static ToolException notFound(String message) {
        return new ToolException(ToolErrors.NOT_FOUND, message);
    }

    public String code() {
        return code;
    }

    public JsonNode details() {
        return details;
    }

    public ToolError toError() {
        return new ToolError(code, getMessage());
    }
}
