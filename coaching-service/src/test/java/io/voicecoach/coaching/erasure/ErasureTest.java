package io.voicecoach.coaching.erasure;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.coaching.llm.StubLlmResource;
import io.voicecoach.coaching.session.SessionStateLookup;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionErased;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code session.erased} reaches coaching's memory: both Kafka Streams stores lose the session (state and conversation),
 * its late events do not bring it back, and neither another session of the tenant nor another tenant's session of the
 * same id is touched, nor can another tenant erase it. (Tenants with an LLM keep a conversation, so these are.)
 */
@QuarkusTest
@QuarkusTestResource(DevstackTestResource.class)
@QuarkusTestResource(StubLlmResource.class)
class ErasureTest {

    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final String TENANT = StubLlmResource.COACH_TENANT;
    private static final String OTHER = StubLlmResource.AGENT_TENANT;

    @Inject
    SessionStateLookup sessions;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void aSessionsStateAndConversationAreErasedAndStayErased() {
        String erased = "sess_" + UUID.randomUUID();
        String kept = "sess_" + UUID.randomUUID();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        for (var call : List.of(List.of(TENANT, erased), List.of(TENANT, kept), List.of(OTHER, erased))) {
            start(call.get(0), call.get(1));
            repSays(call.get(0), call.get(1), "Thanks for taking the call, my card number is 4111 1111 1111 1111.");
        }
        await().atMost(BOUND).until(() -> turns(TENANT, erased) == 1 && turns(TENANT, kept) == 1
                && turns(OTHER, erased) == 1);

        // a third tenant cannot erase it: its request names its own tenant, whose state of that id is nothing
        erase("intruder", erased);
        repSays(TENANT, erased, "Let me check that for you."); // after the intruder's request on the same partition
        await().atMost(BOUND).until(() -> turns(TENANT, erased) == 2);
        assertThat(sessions.erased(TENANT, erased)).isFalse();

        erase(TENANT, erased);
        await().atMost(BOUND).until(() -> sessions.erased(TENANT, erased));
        assertThat(sessions.conversation(TENANT, erased)).as("the conversation store forgot it").isEmpty();

        double dropped = droppedAfterErasure();
        repSays(TENANT, erased, "Are you still there?");
        await().atMost(BOUND).until(() -> droppedAfterErasure() > dropped);
        assertThat(sessions.conversation(TENANT, erased)).as("a late event does not bring it back").isEmpty();

        assertThat(turns(TENANT, kept)).as("another session of the tenant").isEqualTo(1);
        assertThat(turns(OTHER, erased)).as("another tenant's session of the same id").isEqualTo(1);
        assertThat(sessions.erased(OTHER, erased)).isFalse();
    }

    private int turns(String tenant, String session) {
        return sessions.conversation(tenant, session).map(c -> c.turns().size()).orElse(0);
    }

    private void start(String tenant, String session) {
        kafka.send(Topics.SESSIONS, Envelope.of(EventTypes.SESSION_STARTED, tenant, session, 1, "gateway-service",
                new SessionStarted("coach", "call_" + session, "rep", List.of(Track.AGENT, Track.CUSTOMER), "en-US",
                        "audio/pcm", null)));
    }

    private void repSays(String tenant, String session, String text) {
        kafka.send(Topics.TRANSCRIPTS, Envelope.of(EventTypes.TRANSCRIPT_FINAL, tenant, session, 2, "gateway-service",
                new Transcript("item_" + UUID.randomUUID(), Track.AGENT, text, true, 0, 2000, 1.0, "text",
                        Instant.now())));
    }

    private void erase(String tenant, String session) {
        kafka.send(Topics.SESSIONS, Envelope.of(EventTypes.SESSION_ERASED, tenant, session, 1, "coaching-service",
                new SessionErased(SessionErased.SESSION, "test")));
    }

    private static double droppedAfterErasure() {
        return given().get("/q/metrics").then().extract().asString().lines()
                .filter(l -> l.startsWith("voicecoach_coaching_events_after_erasure_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
