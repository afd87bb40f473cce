package io.voicecoach.coaching.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.coaching.llm.StubLlmResource;
import io.voicecoach.coaching.llm.StubLlmServer;
import io.voicecoach.coaching.llm.TokenUsage;
import io.voicecoach.coaching.session.SessionStateLookup;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.AgentResponseCreated;
import io.voicecoach.events.AgentTextDone;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.ItemTruncated;
import io.voicecoach.events.SessionUpdated;
import io.voicecoach.events.SpeechOutput;
import io.voicecoach.events.Topics;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.voicecoach.coaching.agent.AgentCalls.BOUND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The spoken side of the voice agent: the session's speech output rides on each {@code agent.response.created} to
 * the speech stage, and a reply the caller cut short ({@code item.truncated} with the words heard) enters the next
 * LLM request as those words only, checked on the chat request the stub LLM receives.
 */
@QuarkusTest
@QuarkusTestResource(DevstackTestResource.class)
@QuarkusTestResource(StubLlmResource.class)
class SpokenReplyTest {

    private static final String FULL = "Your car is booked for Tuesday at nine. We also have a tyre offer this week.";
    private static final String HEARD = "Your car is booked for Tuesday";

    @Inject
    SessionStateLookup sessions;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();
    private final StubLlmServer stub = StubLlmResource.server();

    @BeforeEach
    void ready() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        stub.reset(StubLlmResource.AGENT_TENANT);
        stub.tools(StubLlmResource.AGENT_TENANT, AgentCalls.AGENT_TOOLS);
    }

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void theSessionsVoiceAndFormatRideOnTheReplysCreated() {
        String tenant = StubLlmResource.AGENT_TENANT;
        stub.then(tenant, StubLlmServer.text(new TokenUsage(10, 2), "Hello!"));
        var call = new AgentCalls(kafka, tenant).start(sessions);
        var output = new SpeechOutput(true, "coral", "audio/pcmu");
        try (var replies = kafka.read(Topics.AGENT_REPLIES)) {
            sessionUpdated(call, new SessionUpdated(null, null, null, List.of(), null, Map.of(), null, null, output));
            call.responseRequested(null);
            var created = replies.awaitOne(r -> call.ofType(r, EventTypes.AGENT_RESPONSE_CREATED), BOUND).envelope()
                    .payloadAs(AgentResponseCreated.class);
            assertThat(created.speech()).isEqualTo(output);
        }
    }

    @Test
    void aReplyCutShortEntersTheNextRequestAsTheWordsHeard() {
        String tenant = StubLlmResource.AGENT_TENANT;
        stub.then(tenant, StubLlmServer.text(new TokenUsage(10, 12), "Your car is booked ", "for Tuesday at nine. ",
                "We also have a tyre offer this week."));
        stub.then(tenant, StubLlmServer.text(new TokenUsage(10, 2), "You are welcome."));
        var call = new AgentCalls(kafka, tenant).start(sessions);
        try (var replies = kafka.read(Topics.AGENT_REPLIES)) {
            call.customerSays("Can you book my car in?");
            call.awaitDone(replies, 1);
            var done = replies.awaitOne(r -> call.ofType(r, EventTypes.AGENT_TEXT_DONE), BOUND).envelope()
                    .payloadAs(AgentTextDone.class);
            assertThat(done.text()).isEqualTo(FULL);

            // the gateway's truncation, then a reply asked for on the same topic (hence read after it)
            kafka.send(Topics.SESSIONS, Envelope.of(EventTypes.ITEM_TRUNCATED, tenant, call.session, 3,
                    "gateway-service", new ItemTruncated(done.itemId(), 0, 1900, HEARD)));
            call.responseRequested(null);
            call.awaitDone(replies, 2);
        }
        var requests = stub.requests(tenant);
        assertThat(requests).hasSize(2);
        var assistant = assistantContents(requests.get(1).body().path("messages"));
        assertThat(assistant).containsExactly(HEARD);
        assertThat(requests.get(1).body().toString()).doesNotContain("tyre offer");
    }

    private void sessionUpdated(AgentCalls call, SessionUpdated updated) {
        kafka.send(Topics.SESSIONS, Envelope.of(EventTypes.SESSION_UPDATED, call.tenant, call.session, 2,
                "gateway-service", updated));
    }

    private static List<String> assistantContents(JsonNode messages) {
        var contents = new ArrayList<String>();
        messages.forEach(m -> {
            if ("assistant".equals(m.path("role").asText())) {
                contents.add(m.path("content").asText());
            }
        });
        return contents;
    }
}
