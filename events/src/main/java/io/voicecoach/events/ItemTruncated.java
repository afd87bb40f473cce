package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The client cut an assistant item short ({@code conversation.item.truncate}): the caller heard it up to
 * {@code audioEndMs} of its audio, so what came after was not said.
 *
 * @param contentIndex the content part truncated
 * @param audioEndMs   milliseconds of the item's audio that were played
 * @param heardText    the item's words the caller heard up to {@code audioEndMs}, as the gateway estimates them from
 *                     the speech it sent (whole pieces before the cut, then the words of the piece being played in
 *                     proportion to its milliseconds played: an estimate, the engines give no word timings); null when
 *                     the gateway sent the item no audio (a text-only session, or speech sent by another instance)
 */
@RegisterForReflection
public record ItemTruncated(String itemId, int contentIndex, long audioEndMs, String heardText)
        implements SessionEvent {

    /** A cut whose heard words the gateway could not tell (it sent the item no audio). */
    public ItemTruncated(String itemId, int contentIndex, long audioEndMs) {
        this(itemId, contentIndex, audioEndMs, null);
    }
}
