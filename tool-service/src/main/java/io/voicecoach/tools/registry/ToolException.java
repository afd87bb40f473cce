package io.voicecoach.tools.registry;

import io.voicecoach.events.ToolError;

/** An expected tool failure, reported to the caller as a {@link ToolError} with {@link #code()}. */
public class ToolException extends RuntimeException {

    private final String code;

    public ToolException(String code, String message) {
        super(message);
        this.code = code;
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

    public ToolError toError() {
        return new ToolError(code, getMessage());
    }
}
