package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The client or a barge-in cancelled a reply ({@code response.cancel}); {@code reason}: {@code client}, {@code barge_in}. */
@RegisterForReflection
public record ResponseCancelRequested(String responseId, String reason) implements SessionEvent {
}
