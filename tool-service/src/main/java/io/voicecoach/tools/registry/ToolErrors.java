package io.voicecoach.tools.registry;

/** The error codes of {@link io.voicecoach.events.ToolError}. */
public final class ToolErrors {
    public static final String UNKNOWN_TOOL = "unknown_tool";
    public static final String INVALID_ARGUMENTS = "invalid_arguments";
    public static final String NOT_FOUND = "not_found";
    public static final String NOT_ALLOWED = "not_allowed";
    public static final String SLOT_TAKEN = "slot_taken";
    public static final String INVALID_VIN = "invalid_vin";
    public static final String TIMEOUT = "timeout";
    public static final String RATE_LIMITED = "rate_limited";
    public static final String INTERNAL = "internal";

    private ToolErrors() {
    }
}
