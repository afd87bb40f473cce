package io.voicecoach.gateway.fanout;

import io.smallrye.mutiny.Uni;
import io.voicecoach.events.AgentFunctionCall;
import io.voicecoach.events.AgentResponseCreated;
import io.voicecoach.events.AgentResponseDone;
import io.voicecoach.events.AgentTextDelta;
import io.voicecoach.events.AgentTextDone;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.InvalidEventException;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.session.SessionRegistry;
import io.voicecoach.gateway.ws.ServerEvents;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Forwards the voice agent's replies ({@code agent.replies}) to the session they answer, as Realtime
 * {@code response.*} events, in the order of the topic (one partition per session, records handled one at a time).
 * Every instance reads every partition; sessions held elsewhere, or by another tenant, are skipped.
 */
@ApplicationScoped
public class AgentReplyFanout {

    private static final Logger LOG = Logger.getLogger(AgentReplyFanout.class);

    private final SessionRegistry registry;

    public AgentReplyFanout(SessionRegistry registry) {
        this.registry = registry;
    }

    @Incoming("agent-replies")
    public Uni<Void> onReply(Message<String> record) {
        try {
            var envelope = EventJson.decode(record.getPayload());
            var session = registry.find(envelope.sessionId()).orElse(null);
            if (session != null && session.tenantId().equals(envelope.tenantId())
                    && session.firstTime(envelope.eventId().toString())) {
                String frame = frame(session, envelope);
                if (frame != null) {
                    session.send(frame).subscribe().with(ok -> { }, failure -> LOG.debugf(
                            "agent reply not sent to %s: %s", session.id(), failure.getMessage()));
                }
            } else if (session != null && !session.tenantId().equals(envelope.tenantId())) {
                LOG.warnf("refusing agent reply %s of tenant %s for session %s of tenant %s", envelope.eventId(),
                        envelope.tenantId(), session.id(), session.tenantId());
            }
        } catch (InvalidEventException e) {
            LOG.warnf("skipping undecodable agent reply: %s", e.getMessage());
            return Uni.createFrom().completionStage(record.nack(e));
        }
        return Uni.createFrom().completionStage(record::ack);
    }

    /** The Realtime event for a reply record; null for types this gateway does not forward. */
    private static String frame(RealtimeSession session, Envelope envelope) {
        return switch (envelope.type()) {
            case EventTypes.AGENT_RESPONSE_CREATED -> {
                var created = envelope.payloadAs(AgentResponseCreated.class);
                session.responseActive(created.responseId());
                yield ServerEvents.responseCreated(created.responseId());
            }
            case EventTypes.AGENT_TEXT_DELTA -> {
                var delta = envelope.payloadAs(AgentTextDelta.class);
                yield ServerEvents.responseTextDelta(delta.responseId(), delta.itemId(), delta.delta());
            }
            case EventTypes.AGENT_TEXT_DONE -> {
                var done = envelope.payloadAs(AgentTextDone.class);
                yield ServerEvents.responseTextDone(done.responseId(), done.itemId(), done.text());
            }
            case EventTypes.AGENT_FUNCTION_CALL -> {
                var call = envelope.payloadAs(AgentFunctionCall.class);
                yield ServerEvents.responseFunctionCallDone(call.responseId(), call.itemId(), call.callId(),
                        call.name(), call.arguments());
            }
            case EventTypes.AGENT_RESPONSE_DONE -> {
                var done = envelope.payloadAs(AgentResponseDone.class);
                session.responseEnded(done.responseId());
                yield ServerEvents.responseDone(done.responseId(), done.status(), done.deliveredText());
            }
            default -> null;
        };
    }
}
