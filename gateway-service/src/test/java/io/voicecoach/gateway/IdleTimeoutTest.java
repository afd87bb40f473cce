package io.voicecoach.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.SessionEnded;
import io.voicecoach.events.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static io.voicecoach.gateway.RealtimeClient.WAIT;
import static io.voicecoach.gateway.TestEvents.DEMO_KEY;
import static io.voicecoach.gateway.TestEvents.textItem;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
@TestProfile(IdleTimeoutTest.ShortIdleTimeout.class)
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class IdleTimeoutTest {

    public static class ShortIdleTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("voicecoach.limits.idle-timeout", "2s", "voicecoach.limits.sweep-interval", "200ms");
        }
    }

    @TestHTTPResource("/v1/realtime")
    URI realtime;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void closeKafka() {
        kafka.close();
    }

    @Test
    void aSilentConnectionIsClosedWith4001WhileAnActiveOneStays() {
        try (var sessions = kafka.read(Topics.SESSIONS);
             var silent = RealtimeClient.connect(websocket(realtime), DEMO_KEY);
             var active = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            String silentId = silent.sessionId();
            silent.send(textItem("evt_1", null, "Hello?", "customer"));
            silent.awaitType("conversation.item.created");

            await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
                active.send(Map.of("type", "session.update", "session", Map.of()));
                return silent.closeCode() == 4001;
            });
            var error = silent.awaitType("error").path("error");
            assertThat(error.path("code").asText()).isEqualTo("idle_timeout");
            assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
            await().atMost(WAIT).until(() -> LimitsTest.ended(sessions, silentId) != null);
            assertThat(LimitsTest.ended(sessions, silentId).payloadAs(SessionEnded.class).reason())
                    .isEqualTo("idle_timeout");

            assertThat(active.isClosed()).isFalse();
            active.send(textItem("evt_2", null, "Still talking.", "agent"));
            active.awaitType("conversation.item.created");
        }
    }
}
