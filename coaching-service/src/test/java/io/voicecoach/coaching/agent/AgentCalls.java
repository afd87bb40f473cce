package io.voicecoach.coaching.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.coaching.session.SessionStateLookup;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.devstack.KafkaTestClient.Received;
import io.voicecoach.devstack.KafkaTestClient.TopicReader;
import io.voicecoach.events.AgentResponseDone;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.ItemCreated;
import io.voicecoach.events.ResponseRequested;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.SessionUpdated;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/** One agent-mode session of a tenant, driven over the broker the way the gateway would. */
final class AgentCalls {

    static final Duration BOUND = Duration.ofSeconds(20);
    /**
     * The agent tenant's tools in every test class that uses it (AgentLoopTest's list parses to this one): tool
     * definitions are cached per tenant for a minute, so a class that changed them would change the next one's.
     */
    static final String AGENT_TOOLS = """
            {"tools": [
              {"type": "function", "function": {"name": "get_available_slots", "description": "Free service slots on a date",
                "parameters": {"type": "object", "properties": {"date": {"type": "string"}}, "required": ["date"]}}}
            ]}""";

    /** The scoped tenant's tools at tool-service (its configuration allows only the first), likewise shared. */
    static final String SCOPED_TOOLS = """
            {"tools": [
              {"type": "function", "function": {"name": "get_available_slots", "description": "Free slots",
                "parameters": {"type": "object", "properties": {"date": {"type": "string"}}}}},
              {"type": "function", "function": {"name": "cancel_appointment", "description": "Cancels a booking",
                "parameters": {"type": "object", "properties": {"booking": {"type": "string"}}}}}
            ]}""";

    final String tenant;
    final String session;
    private final KafkaTestClient kafka;

    AgentCalls(KafkaTestClient kafka, String tenant) {
        this(kafka, tenant, "sess_" + UUID.randomUUID());
    }

    /** Another tenant's session of the same id, to show that tenants' sessions do not meet. */
    AgentCalls(KafkaTestClient kafka, String tenant, String session) {
        this.kafka = kafka;
        this.tenant = tenant;
        this.session = session;
    }

    AgentCalls start(SessionStateLookup sessions) {
        kafka.send(Topics.SESSIONS, Envelope.of(EventTypes.SESSION_STARTED, tenant, session, 1, "gateway-service",
                new SessionStarted("agent", "call_" + session, null, List.of(Track.CUSTOMER), "en-US", "audio/pcm",
                        null)));
        await().atMost(BOUND).until(() -> sessions.inAgentMode(tenant, session));
        return this;
    }

    void customerSays(String text) {
        kafka.send(Topics.TRANSCRIPTS, Envelope.of(EventTypes.TRANSCRIPT_FINAL, tenant, session, 1, "gateway-service",
                new Transcript("item_" + UUID.randomUUID(), Track.CUSTOMER, text, true, 1000, 3000, 1.0, "text",
                        Instant.now())));
    }

    /** A client's {@code session.update} with instructions. */
    void clientInstructions(String instructions) {
        kafka.send(Topics.SESSIONS, Envelope.of(EventTypes.SESSION_UPDATED, tenant, session, 2, "gateway-service",
                new SessionUpdated(null, null, null, null, instructions, null)));
    }

    /** A client's {@code session.update} declaring its own functions (Realtime shape) and a {@code tool_choice}. */
    void clientTools(List<JsonNode> tools, JsonNode toolChoice) {
        kafka.send(Topics.SESSIONS, Envelope.of(EventTypes.SESSION_UPDATED, tenant, session, 2, "gateway-service",
                new SessionUpdated(null, null, null, List.of(), null, Map.of(), tools, toolChoice)));
    }

    /** A client's {@code conversation.item.create} of a {@code function_call_output}. */
    void functionOutput(String callId, String output) {
        kafka.send(Topics.SESSIONS, Envelope.of(EventTypes.ITEM_CREATED, tenant, session, 3, "gateway-service",
                new ItemCreated("item_" + UUID.randomUUID().toString().replace("-", ""), null, "function_call_output",
                        null, null, callId, output)));
    }

    /** A client's {@code response.create}, with instructions for this response or null. */
    void responseRequested(String instructions) {
        kafka.send(Topics.SESSIONS, Envelope.of(EventTypes.RESPONSE_REQUESTED, tenant, session, 3, "gateway-service",
                new ResponseRequested("resp_client_" + UUID.randomUUID(), instructions)));
    }

    List<AgentResponseDone> awaitDone(TopicReader replies, int count) {
        return replies.await(r -> ofType(r, EventTypes.AGENT_RESPONSE_DONE), count, BOUND).stream()
                .map(r -> r.envelope().payloadAs(AgentResponseDone.class)).toList();
    }

    boolean ofType(Received record, String type) {
        return session.equals(record.key()) && record.envelope() != null && type.equals(record.envelope().type());
    }

    static String systemPrompt(JsonNode request) {
        return request.path("messages").get(0).path("content").asText();
    }
}
