package io.voicecoach.tools.calls;

import io.voicecoach.tools.ToolsConfig;

import java.time.Duration;
import java.time.Instant;

/**
 * When a call must be answered by: the caller's {@code requestedAt + timeoutMs} (plus a grace for clock skew), or
 * the tool's own limit from the moment it starts, whichever comes first. {@code timeoutMs <= 0} means no caller limit.
 */
record Deadline(Instant at, String reason) {

    static Deadline of(ToolsConfig.Timeouts config, String tool, Instant requestedAt, long timeoutMs, Instant now) {
        return of(config, config.tools().getOrDefault(tool, config.defaultLimit()), requestedAt, timeoutMs, now);
    }

    /** With the tool's own limit given (webhook tools: their timeouts and retries). */
    static Deadline of(ToolsConfig.Timeouts config, Duration limit, Instant requestedAt, long timeoutMs, Instant now) {
        var toolDeadline = new Deadline(now.plus(limit), "the tool's limit of " + limit.toMillis() + " ms");
        if (timeoutMs <= 0 || requestedAt == null) {
            return toolDeadline;
        }
        var callerDeadline = new Deadline(requestedAt.plusMillis(timeoutMs).plus(config.grace()),
                "the caller's timeout of " + timeoutMs + " ms");
        return callerDeadline.at.isBefore(toolDeadline.at) ? callerDeadline : toolDeadline;
    }

    /**
     * How long a call may wait for an unavailable database: the caller's deadline when it set one (each attempt then
     * still gets the tool's own limit), else the tool's limit from now.
     */
    static Deadline forRetries(ToolsConfig.Timeouts config, String tool, Instant requestedAt, long timeoutMs,
                               Instant now) {
        if (timeoutMs <= 0 || requestedAt == null) {
            return of(config, tool, requestedAt, timeoutMs, now);
        }
        return new Deadline(requestedAt.plusMillis(timeoutMs).plus(config.grace()),
                "the caller's timeout of " + timeoutMs + " ms");
    }

    boolean passed() {
        return !Instant.now().isBefore(at);
    }

    /** Passed, or about to: a statement cancelled by PostgreSQL's timer ends a hair before the deadline. */
    boolean nearlyPassed() {
        return !Instant.now().plusMillis(50).isBefore(at);
    }

    long remainingMillis() {
        return Math.max(1, Duration.between(Instant.now(), at).toMillis());
    }

    String message() {
        return "not answered within " + reason + "; the call was not carried out";
    }
}
