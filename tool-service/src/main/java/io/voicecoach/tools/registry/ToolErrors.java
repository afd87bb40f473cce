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
    /** A service the tool depends on (coaching's knowledge base) cannot answer now. */
    public static final String UNAVAILABLE = "unavailable";
    /** A webhook tool's endpoint failed: non-2xx, timeout or connection error (after its retries). */
    public static final String WEBHOOK_FAILED = "webhook_failed";
    /** A webhook tool's endpoint answered 2xx with a body that is not JSON or breaks the tool's result schema. */
    public static final String INVALID_RESULT = "invalid_result";

    /** The tenant already has its share of webhook calls running ({@code webhook.tenant-concurrency}). */
    public static final String TOOL_BUSY = "tool_busy";

    private ToolErrors() {
    }
}
