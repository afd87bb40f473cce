package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The client cut an assistant item short ({@code conversation.item.truncate}): the caller heard it up to
 * {@code audioEndMs} of its audio, so what came after was not said.
 *
 * @param contentIndex the content part truncated
 * @param audioEndMs   milliseconds of the item's audio that were played
 */
@RegisterForReflection
public record ItemTruncated(String itemId, int contentIndex, long audioEndMs) implements SessionEvent {
}
