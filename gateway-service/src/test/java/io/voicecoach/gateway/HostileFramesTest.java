package io.voicecoach.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.gateway.realtime.ClientFrameFuzzTest;
import io.voicecoach.gateway.realtime.RealtimeError;
import io.voicecoach.gateway.realtime.RealtimeJson;
import io.voicecoach.platform.testing.SeededCases;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.voicecoach.gateway.TestEvents.DEMO_KEY;
import static io.voicecoach.gateway.TestEvents.textItem;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A subset of {@link ClientFrameFuzzTest}'s hostile frames through a live {@code /v1/realtime} socket: each frame the
 * parser refuses is answered with an {@code error} of the code the parser gives it, the connection stays open, and
 * after each one a probe ({@code conversation.item.retrieve} of an unknown item) is answered in order, so the session
 * still serves the next frame. At the end a typed item goes through its whole lifecycle. Prints the number of frames
 * sent and the seed; a failure names the seed and case.
 */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class HostileFramesTest {

    private static final long SEED = 19_211;
    private static final int FRAMES = 150;
    /** {@code voicecoach.limits.max-frame-bytes}: larger frames close the connection (LimitsTest). */
    private static final int MAX_FRAME_BYTES = 1_048_576;

    @TestHTTPResource("/v1/realtime")
    URI realtime;

    @Test
    void everyRefusedFrameIsAnsweredWithItsErrorAndTheSessionServesTheNextFrame() {
        int[] sent = {0};
        try (var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            client.sessionId();
            SeededCases.run(SEED, FRAMES, random -> {
                // what a WebSocket text frame can carry: UTF-8 (a lone surrogate becomes '?')
                String frame = new String(ClientFrameFuzzTest.hostile(random), StandardCharsets.UTF_8);
                frame = new String(frame.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
                String expected = refusalCode(frame);
                if (expected == null || frame.getBytes(StandardCharsets.UTF_8).length > MAX_FRAME_BYTES) {
                    return; // it binds (acting on it is the protocol tests' business), or the transport refuses it
                }
                int before = client.frames().size();
                client.send(frame);
                String probe = "probe_" + sent[0]++;
                client.send("{\"type\":\"conversation.item.retrieve\",\"event_id\":\"" + probe
                        + "\",\"item_id\":\"item_missing\"}");
                var answer = client.awaitFrame(f -> isError(f) && probe.equals(f.path("error").path("event_id")
                        .asText()));
                assertThat(answer.path("error").path("code").asText()).isEqualTo(RealtimeError.ITEM_NOT_FOUND);
                var received = client.frames();
                List<JsonNode> between = received.subList(before, received.indexOf(answer));
                assertThat(between).as("the answers to %s", abbreviated(frame))
                        .anyMatch(f -> isError(f) && expected.equals(f.path("error").path("code").asText()));
                assertThat(client.isClosed()).isFalse();
            });
            client.send(textItem("evt_after", "item_after", "Still here?", "customer"));
            var done = client.awaitFrame(f -> "conversation.item.done".equals(f.path("type").asText())
                    && "item_after".equals(f.path("item").path("id").asText()));
            assertThat(done.path("item").path("status").asText()).isEqualTo("completed");
            assertThat(client.frames()).noneMatch(f -> isError(f)
                    && RealtimeError.INTERNAL_ERROR.equals(f.path("error").path("code").asText()));
        }
        System.out.printf("realtime hostile frames over a live socket: %d refused frames sent (seed %d, %d cases), "
                + "each answered with its error code, the session usable after each%n", sent[0], SEED, FRAMES);
        assertThat(sent[0]).isGreaterThan(FRAMES / 2);
    }

    private static String refusalCode(String frame) {
        try {
            RealtimeJson.read(frame.getBytes(StandardCharsets.UTF_8));
            return null;
        } catch (RealtimeError refused) {
            return refused.code();
        }
    }

    private static boolean isError(JsonNode frame) {
        return "error".equals(frame.path("type").asText());
    }

    private static String abbreviated(String frame) {
        return frame.length() <= 200 ? frame : frame.substring(0, 200) + "...";
    }
}
