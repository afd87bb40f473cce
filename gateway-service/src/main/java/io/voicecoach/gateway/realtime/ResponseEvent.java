package io.voicecoach.gateway.realtime;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The {@code response.*} client events, served by the voice agent. */
@RegisterForReflection
public sealed interface ResponseEvent extends ClientEvent {

    /** {@code response.create}: asks the voice agent for a reply, optionally with instructions for it alone. */
    record Create(String eventId, Options response) implements ResponseEvent {
    }

    record Options(String instructions) {
    }

    /** {@code response.cancel}: the reply {@code response_id}, else the one in progress. */
    record Cancel(String eventId, String responseId) implements ResponseEvent {
    }
}
