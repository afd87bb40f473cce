package io.voicecoach.coaching.erasure;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.coaching.session.SessionStateLookup;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** Erasure through the tenant API: one session, or every session of the tenant on every partition; A never erases B. */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "coaching"))
@QuarkusTestResource(GatewayCredentialStub.class)
class ErasureApiTest {

    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final String A = "eraser";
    private static final String B = "bystander";

    @Inject
    SessionStateLookup lookup;

    @Test
    void aTenantErasesOneSessionThenAllItsSessionsAndNeverAnotherTenants() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        var mine = new ArrayList<String>();
        var theirs = new ArrayList<String>();
        try (var kafka = KafkaTestClient.forSharedBroker()) {
            for (int i = 0; i < 8; i++) { // enough sessions to land on every partition
                mine.add(start(kafka, A, "sess_" + UUID.randomUUID()));
            }
            theirs.add(start(kafka, B, "sess_" + UUID.randomUUID()));
            theirs.add(start(kafka, B, mine.get(1))); // the same session id, another tenant
        }
        await().atMost(BOUND).until(() -> mine.stream().allMatch(s -> lookup.session(A, s).isPresent())
                && theirs.stream().allMatch(s -> lookup.session(B, s).isPresent()));

        given().auth().oauth2(GatewayCredentialStub.keyOf(A)).delete("/api/v1/sessions/" + mine.get(0) + "/memory")
                .then().statusCode(202).body("scope", equalTo("session")).body("eventIds", hasSize(1));
        await().atMost(BOUND).until(() -> lookup.erased(A, mine.get(0)));

        // B asking for A's session id erases only B's own session of that id
        given().auth().oauth2(GatewayCredentialStub.keyOf(B)).delete("/api/v1/sessions/" + mine.get(1) + "/memory")
                .then().statusCode(202);
        await().atMost(BOUND).until(() -> lookup.erased(B, mine.get(1)));
        assertThat(lookup.erased(A, mine.get(1))).isFalse();
        assertThat(lookup.session(A, mine.get(1))).isPresent();

        given().auth().oauth2(GatewayCredentialStub.keyOf(A)).delete("/api/v1/memory").then().statusCode(202)
                .body("scope", equalTo("tenant")).body("eventIds", hasSize(4));
        await().atMost(BOUND).until(() -> mine.stream().allMatch(s -> lookup.session(A, s).isEmpty()));
        assertThat(lookup.session(B, theirs.get(0))).as("the other tenant's session").isPresent();

        given().delete("/api/v1/memory").then().statusCode(401);
    }

    private static String start(KafkaTestClient kafka, String tenant, String session) {
        kafka.send(Topics.SESSIONS, Envelope.of(EventTypes.SESSION_STARTED, tenant, session, 1, "gateway-service",
                new SessionStarted("coach", "call", "rep", List.of(Track.AGENT, Track.CUSTOMER), "en-US", "audio/pcm",
                        null)));
        return session;
    }
}
