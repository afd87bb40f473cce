package io.voicecoach.gateway.fanout;

import io.smallrye.mutiny.Uni;
import io.voicecoach.events.AgentFunctionCall;
import io.voicecoach.events.AgentReplyEvent;
import io.voicecoach.events.AgentResponseCreated;
import io.voicecoach.events.AgentResponseDone;
import io.voicecoach.events.AgentTextDelta;
import io.voicecoach.events.AgentTextDone;
import io.voicecoach.events.Event;
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
    public Uni<Void> onReply(Message<byte[]> record) {
        return FeedRoute.fanOut(this, record, progress, traces, LOG);
    }

    @Override
    public FeedTopic feed() {
        return FeedTopic.REPLIES;
    }

    @Override
    public List<Routed> route(Event<?> event) {
        if (!(event.payload() instanceof AgentReplyEvent reply)) {
            return List.of();
        }
        var session = FeedRoute.ownSession(registry, event, "agent reply", LOG).orElse(null);
        return session == null ? List.of()
                : List.of(new Routed(session, new Delivery(event.eventId().toString(), frames(reply))));
    }

    /** The Realtime events of a reply (decoded now, built for the session later, see {@link ReplyFrames}). */
    private static Function<RealtimeSession, List<String>> frames(AgentReplyEvent reply) {
        return switch (reply) {
            case AgentResponseCreated created -> session -> ReplyFrames.created(session, created.responseId());
            case AgentTextDelta delta -> session -> ReplyFrames.textDelta(session, delta);
            case AgentTextDone done -> session -> ReplyFrames.textDone(session, done);
            case AgentFunctionCall call -> session -> ReplyFrames.functionCall(session, call);
            case AgentResponseDone done -> session -> ReplyFrames.done(session, done);
        };
    }
}
