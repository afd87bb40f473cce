package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A client session closed at the gateway. {@code reason}: {@code client_closed}, {@code idle_timeout},
 * {@code slow_client} (closed for not reading its events), {@code resume_expired} (dropped, or its gateway instance
 * drained, and not resumed within the resume window), {@code gateway_lost} (its gateway instance died and the client
 * did not resume within the window), {@code error}. The gateway's event id is always
 * {@code nameUUID("<session id>/ended")}, so a second publisher (another instance) is de-duplicated.
 */
@RegisterForReflection
public record SessionEnded(String reason, long durationMs) implements SessionEvent {
}
