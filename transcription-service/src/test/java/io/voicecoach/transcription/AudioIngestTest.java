package io.voicecoach.transcription;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.AudioHeaders;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.transcription.stt.EngineStubsResource;
import io.voicecoach.transcription.stt.SessionRegistry;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
@QuarkusTestResource(DevstackTestResource.class)
@QuarkusTestResource(EngineStubsResource.class) // same resources as the other tests: one application start
class AudioIngestTest {

    @Inject
    SessionRegistry registry;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void countsAudioPerTrackOfAStartedSession() {
        String session = "sess_" + UUID.randomUUID();
        kafka.send(Topics.SESSIONS, Envelope.of(EventTypes.SESSION_STARTED, "acme", session, 1, "test",
                new SessionStarted("coach", "call_1", "rep_1", List.of(Track.AGENT, Track.CUSTOMER), "en-US", "audio/pcm", Map.of())));

        sendAudio("acme", session, Track.CUSTOMER, new byte[3200]); // 100 ms at 16 kHz
        sendAudio("acme", session, Track.CUSTOMER, new byte[3200]);
        sendAudio("acme", session, Track.AGENT, new byte[1600]);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            var state = registry.find(session).orElseThrow();
            assertThat(state.audioMillis(Track.CUSTOMER)).isEqualTo(200);
            assertThat(state.audioMillis(Track.AGENT)).isEqualTo(50);
            assertThat(state.started()).isNotNull().extracting(SessionStarted::callId).isEqualTo("call_1");
        });
    }

    @Test
    void malformedChunksGoToTheDeadLetterTopicAndConsumptionContinues() {
        String session = "sess_" + UUID.randomUUID();
        try (var dlq = kafka.read(Topics.deadLetter(Topics.AUDIO))) {
            sendAudio("acme", session, "robot", new byte[320]);            // unknown track
            kafka.send(Topics.AUDIO, session, new byte[320], Map.of());    // no headers at all
            sendAudio("acme", session, Track.CUSTOMER, new byte[321]);     // not PCM16
            sendAudio("acme", session, Track.CUSTOMER, new byte[320]);     // fine

            var parked = dlq.await(r -> session.equals(r.key()), 3, Duration.ofSeconds(20));
            assertThat(parked).hasSize(3);
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    registry.find(session).map(s -> s.audioMillis(Track.CUSTOMER)).orElse(0L) == 10);
        }
    }

    @Test
    void audioClaimingAnotherTenantsSessionIsRefused() {
        String session = "sess_" + UUID.randomUUID();
        sendAudio("acme", session, Track.CUSTOMER, new byte[320]);
        try (var dlq = kafka.read(Topics.deadLetter(Topics.AUDIO))) {
            sendAudio("globex", session, Track.CUSTOMER, new byte[32000]);
            dlq.awaitOne(r -> session.equals(r.key()), Duration.ofSeconds(20));
        }
        assertThat(registry.find(session).orElseThrow().audioMillis(Track.CUSTOMER)).isEqualTo(10);
    }

    @Test
    void exposesHealthAndMetrics() {
        given().get("/q/health/ready").then().statusCode(200).body(containsString("UP"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("voicecoach_audio_received_seconds_total"));
    }

    private void sendAudio(String tenant, String session, String track, byte[] pcm) {
        kafka.send(Topics.AUDIO, session, pcm, Map.of(
                AudioHeaders.TENANT_ID, tenant,
                AudioHeaders.SESSION_ID, session,
                AudioHeaders.TRACK, track,
                AudioHeaders.EVENT_ID, UUID.randomUUID().toString()));
    }
}
