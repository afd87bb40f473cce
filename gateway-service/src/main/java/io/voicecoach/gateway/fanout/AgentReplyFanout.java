package io.voicecoach.gateway.fanout;

import io.smallrye.mutiny.Uni;
import io.voicecoach.events.AgentFunctionCall;
import io.voicecoach.events.AgentResponseCreated;
import io.voicecoach.events.AgentResponseDone;
import io.voicecoach.events.AgentTextDelta;
import io.voicecoach.events.AgentTextDone;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.gateway.failover.FanoutAssignments;
import io.voicecoach.gateway.session.Delivery;
import io.voicecoach.gateway.session.FeedTopic;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.session.SessionRegistry;
import io.voicecoach.gateway.tracing.RealtimeTraces;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.function.Function;

/**
 * Forwards the voice agent's replies ({@code agent.replies}) to the session they answer, as Realtime
 * {@code response.*} events, in the order of the topic (one partition per session, records handled one at a time).
 * They are replayable: a resuming client gets the reply events it missed. Every instance reads every partition;
 * sessions held elsewhere, or by another tenant, are skipped.
 */
@ApplicationScoped
public class AgentReplyFanout implements FeedRoute {

    private static final Logger LOG = Logger.getLogger(AgentReplyFanout.class);

    private final SessionRegistry registry;
    private final RealtimeTraces traces;
    private final FanoutAssignments progress;

    public AgentReplyFanout(SessionRegistry registry, RealtimeTraces traces, FanoutAssignments progress) {
        this.registry = registry;
        this.traces = traces;
        this.progress = progress;
    }

    @Incoming("agent-replies")
    public Uni<Void> onReply(Message<String> record) {
        return FeedRoute.fanOut(this, record, progress, traces, LOG);
    }

    @Override
    public FeedTopic feed() {
        return FeedTopic.REPLIES;
    }

    @Override
    public List<Routed> route(Envelope envelope) {
        var session = FeedRoute.ownSession(registry, envelope, "agent reply", LOG).orElse(null);
        if (session == null) {
            return List.of();
        }
        var frames = frames(envelope);
        return frames == null ? List.of()
                : List.of(new Routed(session, new Delivery(envelope.eventId().toString(), frames)));
    }

    /**
     * The Realtime events of a reply record (decoded now, built for the session later, see {@link ReplyFrames}); null
     * for types this gateway does not forward.
     */
    private static Function<RealtimeSession, List<String>> frames(Envelope envelope) {
        return switch (envelope.type()) {
            case EventTypes.AGENT_RESPONSE_CREATED -> {
                var created = envelope.payloadAs(AgentResponseCreated.class);
                yield session -> ReplyFrames.created(session, created.responseId());
            }
            case EventTypes.AGENT_TEXT_DELTA -> {
                var delta = envelope.payloadAs(AgentTextDelta.class);
                yield session -> ReplyFrames.textDelta(session, delta);
            }
            case EventTypes.AGENT_TEXT_DONE -> {
                var done = envelope.payloadAs(AgentTextDone.class);
                yield session -> ReplyFrames.textDone(session, done);
            }
            case EventTypes.AGENT_FUNCTION_CALL -> {
                var call = envelope.payloadAs(AgentFunctionCall.class);
                yield session -> ReplyFrames.functionCall(session, call);
            }
            case EventTypes.AGENT_RESPONSE_DONE -> {
                var done = envelope.payloadAs(AgentResponseDone.class);
                yield session -> ReplyFrames.done(session, done);
            }
            default -> null;
        };
    }
}
