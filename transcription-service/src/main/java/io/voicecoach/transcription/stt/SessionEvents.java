package io.voicecoach.transcription.stt;

import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionStarted;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

@ApplicationScoped
public class SessionEvents {

    private final SessionRegistry registry;

    public SessionEvents(SessionRegistry registry) {
        this.registry = registry;
    }

    @Incoming("sessions")
    public void onSessionEvent(String value) {
        var event = EventJson.decode(value);
        switch (event.type()) {
            case EventTypes.SESSION_STARTED ->
                    registry.started(event.tenantId(), event.sessionId(), event.payloadAs(SessionStarted.class));
            case EventTypes.SESSION_ENDED -> registry.ended(event.sessionId());
            default -> {
                // other session events (delivery receipts) are not for transcription
            }
        }
    }
}
