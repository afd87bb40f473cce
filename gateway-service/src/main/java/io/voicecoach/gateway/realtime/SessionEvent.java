package io.voicecoach.gateway.realtime;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The {@code session.*} client events. */
@RegisterForReflection
public sealed interface SessionEvent extends ClientEvent {

    /** {@code session.update} (beta: {@code transcription_session.update}). */
    record Update(String eventId, SessionPatch session) implements SessionEvent {
        public Update {
            if (session == null) {
                throw RealtimeError.invalidEvent("session.update needs a session object", "session");
            }
        }
    }
}
