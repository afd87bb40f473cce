package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The client removed an item from its Realtime conversation ({@code conversation.item.delete}). */
@RegisterForReflection
public record ItemDeleted(String itemId) implements SessionEvent {
}
