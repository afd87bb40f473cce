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
import java.util.ArrayList;
import java.util.List;

import static io.voicecoach.gateway.TestEvents.DEMO_KEY;
import static io.voicecoach.gateway.TestEvents.textItem;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A subset of {@link ClientFrameFuzzTest}'s hostile frames through a live {@code /v1/realtime} socket: each frame the
 * parser refuses is answered with an {@code error} of the code the parser gives it, the connection stays open, and
 * a probe sent after each one ({@code conversation.item.retrieve} of an unknown item) is answered after that error,
 * so the session still serves the next frame. At the end a typed item goes through its whole lifecycle. Prints the
 * number of frames sent and the seed; a failure names the seed and the frame.
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
        var sent = new ArrayList<Sent>();
        SeededCases.run(SEED, FRAMES, random -> {
            // what a WebSocket text frame can carry: UTF-8 (a lone surrogate becomes '?')
            String frame = new String(ClientFrameFuzzTest.hostile(random), StandardCharsets.UTF_8);
            frame = new String(frame.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
            String expected = refusalCode(frame);
            if (expected != null && frame.getBytes(StandardCharsets.UTF_8).length <= MAX_FRAME_BYTES) {
                sent.add(new Sent(sent.size(), frame, expected));
            } // else it binds (acting on it is the protocol tests' business), or the transport refuses it
        });
        long bytes = sent.stream().mapToLong(f -> f.frame().length()).sum();
        long started;
        long answered;
        try (var client = RealtimeClient.connect(websocket(realtime), DEMO_KEY)) {
            client.sessionId();
            started = System.nanoTime();
            for (var frame : sent) {
                client.send(frame.frame());
                client.send("{\"type\":\"conversation.item.retrieve\",\"event_id\":\"" + frame.probe()
                        + "\",\"item_id\":\"item_missing\"}");
            }
            client.awaitFrame(f -> isProbe(f, sent.getLast().probe()));
            answered = System.nanoTime();
            var received = client.frames();
            int from = 0;
            for (var frame : sent) {
                // frames are handled in order: the answers to a frame come before its probe's
                int probe = indexOf(received, frame.probe(), from);
                assertThat(received.get(probe).path("error").path("code").asText())
                        .isEqualTo(RealtimeError.ITEM_NOT_FOUND);
                assertThat(received.subList(from, probe)).as("frame %d (seed %d) %s", frame.index(), SEED,
                                abbreviated(frame.frame()))
                        .anyMatch(f -> isError(f) && frame.code().equals(f.path("error").path("code").asText()));
                from = probe + 1;
            }
            assertThat(client.isClosed()).isFalse();
            client.send(textItem("evt_after", "item_after", "Still here?", "customer"));
            var done = client.awaitFrame(f -> "conversation.item.done".equals(f.path("type").asText())
                    && "item_after".equals(f.path("item").path("id").asText()));
            assertThat(done.path("item").path("status").asText()).isEqualTo("completed");
            assertThat(client.frames()).noneMatch(f -> isError(f)
                    && RealtimeError.INTERNAL_ERROR.equals(f.path("error").path("code").asText()));
        }
        System.out.printf("realtime hostile frames over a live socket: %d refused frames (%d KB) sent (seed %d, %d cases) "
                + "and answered with their error codes in %d ms, the session usable after them%n", sent.size(),
                bytes / 1024, SEED, FRAMES, (answered - started) / 1_000_000);
        assertThat(sent.size()).isGreaterThan(FRAMES / 2);
    }

    /** A refused frame sent, the code the parser refuses it with, and the probe sent after it. */
    private record Sent(int index, String frame, String code) {
        String probe() {
            return "probe_" + index;
        }
    }

    private static int indexOf(List<JsonNode> received, String probe, int from) {
        for (int i = from; i < received.size(); i++) {
            if (isProbe(received.get(i), probe)) {
                return i;
            }
        }
        throw new AssertionError("no answer to " + probe);
    }

    private static boolean isProbe(JsonNode frame, String probe) {
        return isError(frame) && probe.equals(frame.path("error").path("event_id").asText());
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
