package io.voicecoach.tools.calls;

import io.voicecoach.events.ToolResult;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The result to publish for a call.
 *
 * @param eventId id of the result envelope
 * @param seq     seq of the result envelope in its session
 * @param replay  true when the call had been answered before and its stored result is re-published
 */
public record AnsweredCall(UUID eventId, ToolResult result, long seq, boolean replay) {

    /**
     * A result stored in the audit log. Its event id and seq are derived from the stored call, so every publication
     * of it is the same event and consumers de-duplicate the re-published one.
     */
    static AnsweredCall stored(String tenantId, ToolResult result, long seq, boolean replay) {
        var eventId = UUID.nameUUIDFromBytes(("tool.result/" + tenantId + "/" + result.callId())
                .getBytes(StandardCharsets.UTF_8));
        return new AnsweredCall(eventId, result, seq, replay);
    }

    /**
     * A failure that could not be recorded: a fresh event id, so a later successful redelivery is not discarded as
     * its duplicate, and seq 0 because no seq was allocated.
     */
    static AnsweredCall unrecorded(ToolResult result) {
        return new AnsweredCall(UUID.randomUUID(), result, 0, false);
    }
}
