package io.voicecoach.coaching.nudge;

import io.voicecoach.coaching.stage.CallProgress;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.InvalidEventException;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.coaching.llm.LlmStage;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletionStage;

/**
 * Consumes {@code voice.sessions}: {@code session.started} sets up the session's state (its mode), {@code
 * session.ended} drops it; other types are acknowledged and skipped, undecodable records go to
 * {@code voice.sessions.dlq}. A transcript that arrives first creates the state itself (coach mode).
 */
@ApplicationScoped
public class Sessions {

    private static final Logger LOG = Logger.getLogger(Sessions.class);

    private final NudgeEngine nudges;
    private final LlmStage llm;
    private final CallProgress calls;

    public Sessions(NudgeEngine nudges, LlmStage llm, CallProgress calls) {
        this.nudges = nudges;
        this.llm = llm;
        this.calls = calls;
    }

    @Incoming("sessions")
    public CompletionStage<Void> onSessionEvent(Message<String> message) {
        try {
            Envelope event = EventJson.decode(message.getPayload());
            switch (event.type()) {
                case EventTypes.SESSION_STARTED ->
                        nudges.started(event.tenantId(), event.sessionId(), event.payloadAs(SessionStarted.class));
                case EventTypes.SESSION_ENDED -> {
                    nudges.ended(event.tenantId(), event.sessionId());
                    calls.ended(event.tenantId(), event.sessionId());
                }
                default -> {
                }
            }
            llm.onSessionEvent(event);
            return message.ack();
        } catch (InvalidEventException e) {
            LOG.warnf("rejecting session record: %s", e.getMessage());
            return message.nack(e);
        }
    }
}
