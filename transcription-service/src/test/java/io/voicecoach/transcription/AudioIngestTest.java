package io.voicecoach.transcription;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.AudioHeaders;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.transcription.session.SessionStates;
import io.voicecoach.transcription.stt.EngineStubsResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
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
    SessionStates sessions;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void countsAudioPerTrackOfASession() {
        String session = "sess_" + UUID.randomUUID();
        sendAudio("acme", session, Track.CUSTOMER, new byte[3200]); // 100 ms at 16 kHz
        sendAudio("acme", session, Track.CUSTOMER, new byte[3200]);
        sendAudio("acme", session, Track.AGENT, new byte[1600]);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(sessions.audioMillis(session, Track.CUSTOMER)).hasValue(200);
            assertThat(sessions.audioMillis(session, Track.AGENT)).hasValue(50);
        });
    }

    @Test
    void malformedChunksGoToTheDeadLetterTopicAndConsumptionContinues() {
        String session = "sess_" + UUID.randomUUID();
        try (var dlq = kafka.read(Topics.deadLetter(Topics.AUDIO))) {
            sendAudio("acme", session, "robot", new byte[320]);            // unknown track
            kafka.send(Topics.AUDIO, session, new byte[320], Map.of());    // no headers at all
            sendAudio("acme", session, Track.CUSTOMER, new byte[321]);     // not PCM16
            kafka.send(Topics.AUDIO, session, new byte[320], Map.of(AudioHeaders.TENANT_ID, "acme", AudioHeaders.SESSION_ID, session,
                    AudioHeaders.TRACK, Track.CUSTOMER, AudioHeaders.PHRASES, "Globex, Initech")); // phrases not a JSON array
            sendAudio("acme", session, Track.CUSTOMER, new byte[320]);     // fine

            var parked = dlq.await(r -> session.equals(r.key()), 4, Duration.ofSeconds(20));
            assertThat(parked).hasSize(4);
            assertThat(parked.getLast().headers().get("dead-letter-reason")).contains("vc-stt-phrases is not a JSON array of strings");
            await().atMost(Duration.ofSeconds(20)).until(() -> sessions.audioMillis(session, Track.CUSTOMER).orElse(0) == 10);
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
        assertThat(sessions.audioMillis(session, Track.CUSTOMER)).hasValue(10);
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
