package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A client session closed at the gateway. {@code reason}: {@code client_closed}, {@code idle_timeout},
 * {@code slow_client} (closed for not reading its events), {@code resume_expired} (dropped and not resumed within the
 * resume window), {@code error}.
 */
@RegisterForReflection
public record SessionEnded(String reason, long durationMs) {
}
