package io.voicecoach.coaching.agent;

import io.voicecoach.coaching.DerivedIds;
import io.voicecoach.coaching.SessionSequences;
import io.voicecoach.coaching.session.SessionTopology;
import io.voicecoach.events.AgentReplyEvent;
import io.voicecoach.events.Event;
import io.voicecoach.events.Topics;
import io.voicecoach.platform.events.EventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.UUID;

/**
 * Writes the agent worker's events on {@code agent.replies}, keyed by session, at once (text deltas are not held for
 * a transaction). Sends are issued in call order, so a session's events keep their order on its partition. Record
 * headers tell the session processor, which reads these events back to build the history, which attempt of which
 * round an event belongs to; other consumers ignore them.
 */
@ApplicationScoped
public class AgentReplies {

    /** {@code <attempt>@<instance>} of the round that published the event. */
    public static final String ATTEMPT = "vc-agent-attempt";
    public static final String ROUND = "vc-agent-round";
    /** On {@code function_call}: how many calls the round made, the model's own id of this one, whether it is offered. */
    public static final String CALLS = "vc-agent-calls";
    public static final String LLM_CALL_ID = "vc-agent-llm-call-id";
    public static final String OFFERED = "vc-agent-offered";

    private static final Logger LOG = Logger.getLogger(AgentReplies.class);

    private final EventPublisher<AgentReplyEvent> replies;
    private final SessionSequences sequences;

    public AgentReplies(@Channel("agent-replies") Emitter<Event<?>> replies, SessionSequences sequences) {
        this.replies = new EventPublisher<>(Topics.AGENT_REPLIES, replies, SessionTopology.PRODUCER);
        this.sequences = sequences;
    }

    /** One {@code agent.response.done} per reply, whoever publishes it (the worker, or the task after a cancel). */
    public static UUID doneEventId(UUID triggerEventId) {
        return DerivedIds.of("agent-response-done", triggerEventId);
    }

    public void reply(String tenantId, String sessionId, UUID eventId, AgentReplyEvent payload,
                      Map<String, String> headers) {
        replies.publish(tenantId, sessionId, sequences.next(tenantId, sessionId), eventId, payload, headers)
                .whenComplete((sent, failure) -> {
                    if (failure != null) {
                        LOG.errorf(failure, "cannot publish %s for session %s", payload.getClass().getSimpleName(),
                                sessionId);
                    }
                });
    }
}
