package io.voicecoach.coaching.agent;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.voicecoach.coaching.SessionSequences;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.ToolCall;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.UUID;

/**
 * Writes the voice agent's events: reply events on {@code agent.replies}, tool calls on {@code tool.calls}, keyed by
 * session. Sends are issued in call order (so a session's events keep their order on its partition) and not awaited.
 */
@ApplicationScoped
public class AgentReplies {

    private static final Logger LOG = Logger.getLogger(AgentReplies.class);

    private final MutinyEmitter<String> replies;
    private final MutinyEmitter<String> toolCalls;
    private final SessionSequences sequences;
    private final String producer;

    public AgentReplies(@Channel("agent-replies") MutinyEmitter<String> replies,
                        @Channel("tool-calls") MutinyEmitter<String> toolCalls, SessionSequences sequences,
                        @ConfigProperty(name = "quarkus.application.name") String producer) {
        this.replies = replies;
        this.toolCalls = toolCalls;
        this.sequences = sequences;
        this.producer = producer;
    }

    public String producer() {
        return producer;
    }

    public void reply(String tenantId, String sessionId, UUID eventId, String type, Object payload) {
        send(replies, tenantId, sessionId, eventId, type, payload);
    }

    public void toolCall(String tenantId, String sessionId, UUID eventId, ToolCall call) {
        send(toolCalls, tenantId, sessionId, eventId, EventTypes.TOOL_CALL, call);
    }

    private void send(MutinyEmitter<String> emitter, String tenantId, String sessionId, UUID eventId, String type,
                      Object payload) {
        var envelope = new Envelope(eventId, type, Envelope.SCHEMA_VERSION, tenantId, sessionId,
                sequences.next(tenantId, sessionId), Instant.now(), producer, EventJson.tree(payload));
        emitter.sendMessage(KafkaRecord.of(sessionId, EventJson.encode(envelope))).subscribe().with(
                sent -> { }, failure -> LOG.errorf(failure, "cannot publish %s for session %s", type, sessionId));
    }
}
