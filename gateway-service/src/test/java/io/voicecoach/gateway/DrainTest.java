package io.voicecoach.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.AudioHeaders;
import io.voicecoach.events.Topics;
import io.voicecoach.gateway.session.SessionSnapshot;
import io.voicecoach.gateway.ws.GatewayDrain;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.voicecoach.gateway.AudioFrames.append;
import static io.voicecoach.gateway.AudioFrames.frames;
import static io.voicecoach.gateway.AudioFrames.pcm16;
import static io.voicecoach.gateway.AudioFrames.tone;
import static io.voicecoach.gateway.RealtimeClient.WAIT;
import static io.voicecoach.gateway.TestEvents.DEMO_KEY;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What SIGTERM does (the drain is called directly here; Quarkus calls it on shutdown): the open utterance is committed,
 * the session's snapshot names no holder, the client is closed with 1012, the instance's liveness record goes, and the
 * instance refuses new connections and reports not ready. Own profile: the drained application is not reused.
 */
@QuarkusTest
@TestProfile(DrainTest.Draining.class)
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class DrainTest {

    public static class Draining implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("voicecoach.gateway.drain-timeout", "5s");
        }
    }

    @TestHTTPResource("/v1/realtime")
    URI realtime;

    @Inject
    GatewayDrain drain;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void closeKafka() {
        kafka.close();
    }

    @Test
    void aDrainCommitsHandsOverAndClosesWithServiceRestart() {
        try (var audio = kafka.read(Topics.AUDIO);
             var snapshots = kafka.read(Topics.GATEWAY_SESSIONS);
             var instances = kafka.read(Topics.GATEWAY_INSTANCES);
             var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String sessionId = client.sessionId();
            var input = new LinkedHashMap<String, Object>();
            input.put("format", Map.of("type", "audio/pcm", "rate", 24000));
            input.put("turn_detection", null);
            client.send(Map.of("type", "session.update", "session", Map.of("audio", Map.of("input", input))));
            client.awaitType("session.updated");
            for (var frame : frames(pcm16(tone(24000, 300, 1000, 0.5)), 4800)) {
                client.send(append(frame, null));
            }
            audio.awaitOne(r -> sessionId.equals(r.key()), WAIT); // the utterance is open, nothing committed

            drain.drain();

            await().atMost(WAIT).until(client::isClosed);
            assertThat(client.closeCode()).isEqualTo(1012);
            var committed = audio.awaitOne(r -> sessionId.equals(r.key())
                    && "true".equals(r.headers().get(AudioHeaders.COMMIT)), WAIT);
            assertThat(committed.headers().get(AudioHeaders.UTTERANCE_ID)).isNotBlank();
            var handedOver = snapshots.awaitOne(r -> sessionId.equals(r.key()) && r.value() != null
                    && SessionSnapshot.parse(r.valueAsString()).detachedAt() != null, WAIT);
            var snapshot = SessionSnapshot.parse(handedOver.valueAsString());
            assertThat(snapshot.holder()).isNull();
            assertThat(snapshot.started()).isTrue();
            assertThat(snapshot.trackPositionsMs()).containsEntry("customer", 300L);
            instances.awaitOne(r -> "local".equals(r.key()) && r.value() == null, WAIT);

            assertThat(RealtimeClient.refusal(websocket(realtime), DEMO_KEY)).isEqualTo(503);
            given().get("/q/health/ready").then().statusCode(503);
        }
    }
}
