package io.voicecoach.coaching.warmup;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import io.voicecoach.platform.warmup.StartupWarmup;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

/** The start-up warm-up runs the live code before the instance is ready, and leaves nothing behind. */
@QuarkusTest
@QuarkusTestResource(DevstackTestResource.class)
class WarmupTest {

    private static final Duration BOUND = Duration.ofSeconds(30);

    @Inject
    CoachingWarmup coachingPath;

    @Inject
    StartupWarmup warmup;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void readinessReportsTheWarmUpAndTheWarmUpPublishesNothing() {
        await().atMost(BOUND).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'warmed-up' }.data.status", equalTo("DONE"))
                .body("checks.find { it.name == 'warmed-up' }.data.tookMs", greaterThan(0)));

        String session = "sess_" + UUID.randomUUID();
        try (var suggestions = kafka.read(Topics.SUGGESTIONS); var calls = kafka.read(Topics.TOOL_CALLS)) {
            coachingPath.run();
            assertThat(warmup.status()).isEqualTo(StartupWarmup.Status.DONE);
            // a real objection after the warm-up: its suggestion and battle-card request come; none of the scratch's
            kafka.send(Topics.TRANSCRIPTS, Envelope.of(EventTypes.TRANSCRIPT_FINAL, "acme", session, 1,
                    "gateway-service", new Transcript("item_p", Track.CUSTOMER,
                            "Honestly the price is too high for us this quarter.", true, 0, 2_000, 1.0, "text",
                            Instant.now())));
            suggestions.awaitOne(r -> session.equals(r.key()), BOUND);
            calls.awaitOne(r -> session.equals(r.key()), BOUND);
            assertThat(suggestions.all()).noneMatch(r -> r.envelope() != null
                    && CoachingWarmup.TENANT.equals(r.envelope().tenantId()));
            assertThat(calls.all()).noneMatch(r -> r.envelope() != null
                    && CoachingWarmup.TENANT.equals(r.envelope().tenantId()));
        }
    }
}
