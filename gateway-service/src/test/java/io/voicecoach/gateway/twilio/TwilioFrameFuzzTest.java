package io.voicecoach.gateway.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicecoach.events.Track;
import io.voicecoach.platform.testing.HostileJson;
import io.voicecoach.platform.testing.SeededCases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static io.voicecoach.platform.testing.SeededCases.chance;
import static io.voicecoach.platform.testing.SeededCases.oneOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the Twilio Media Streams frame parser ({@link TwilioFrames#parse}): a valid frame of every Twilio event with
 * one node replaced, removed or given a new field, its bytes cut or changed, and random bytes. The only allowed
 * outcomes are a frame the endpoint acts on, with every field within its bounds (identifiers of 1 to 200 chars or
 * absent, known tracks, decoded audio), or {@link TwilioFrame.Ignored} with one of the reasons the endpoint counts.
 * Anything thrown is a crash. 3,500 cases from fixed seeds ({@link SeededCases}: a failure names the seed and case
 * that reproduce it); the number of inputs tried is printed at the end.
 */
class TwilioFrameFuzzTest {

    private static final Set<String> REASONS = Set.of("not JSON", "not a JSON object", "no event", "unknown event",
            "media payload not base64");
    private static final List<String> VALID = List.of(
            "{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}",
            """
            {"event":"start","sequenceNumber":"1","streamSid":"MZ1","start":{"accountSid":"AC1","streamSid":"MZ1",
             "callSid":"CA1","tracks":["inbound","outbound"],
             "mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1},
             "customParameters":{"api_key":"vc_test_key","call_id":"call_1","rep_id":"rep_1"}}}""",
            """
            {"event":"media","sequenceNumber":"3","streamSid":"MZ1","media":{"track":"outbound","chunk":"2",
             "timestamp":"20","payload":"//////////8="}}""",
            "{\"event\":\"mark\",\"streamSid\":\"MZ1\",\"mark\":{\"name\":\"m1\"}}",
            "{\"event\":\"dtmf\",\"streamSid\":\"MZ1\",\"dtmf\":{\"track\":\"inbound_track\",\"digit\":\"1\"}}",
            "{\"event\":\"stop\",\"streamSid\":\"MZ1\",\"stop\":{\"accountSid\":\"AC1\",\"callSid\":\"CA1\"}}");
    private static final List<String> KEYS = List.of("event", "start", "media", "stop", "mark", "dtmf", "streamSid",
            "callSid", "accountSid", "tracks", "mediaFormat", "encoding", "sampleRate", "channels", "customParameters",
            "api_key", "call_id", "rep_id", "track", "payload", "x", "");
    private static final List<String> EVENTS = List.of("connected", "start", "media", "mark", "dtmf", "stop",
            "START", "", "closed");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HostileJson HOSTILE = new HostileJson(KEYS, List.of("inbound", "outbound", "both",
            "audio/x-mulaw", "connected", "start", "media", "stop", "mark", "dtmf", "8000"));
    private static final List<JsonNode> CORPUS = VALID.stream().map(TwilioFrameFuzzTest::tree).toList();
    private static final AtomicInteger TRIED = new AtomicInteger();
    private static final AtomicInteger USED = new AtomicInteger();

    @Test
    void everyValidFrameIsUsed() {
        for (String frame : VALID) {
            assertThat(TwilioFrames.parse(bytes(frame))).isNotInstanceOf(TwilioFrame.Ignored.class);
        }
        var start = (TwilioFrame.Start) TwilioFrames.parse(bytes(VALID.get(1)));
        assertThat(start).extracting(TwilioFrame.Start::supportedFormat, TwilioFrame.Start::apiKey,
                TwilioFrame.Start::callId, TwilioFrame.Start::tracks)
                .containsExactly(true, "vc_test_key", "call_1", List.of(Track.CUSTOMER, Track.AGENT));
    }

    @Test
    void aValidFrameWithOneNodeReplacedIsUsedOrIgnored() {
        SeededCases.run(19_301, 2000, random -> check(bytes(mutation(random))));
    }

    @Test
    void aValidFrameWithItsBytesCutOrChangedIsUsedOrIgnored() {
        SeededCases.run(19_302, 800, random -> {
            byte[] frame = bytes(oneOf(random, VALID));
            if (random.nextBoolean()) {
                frame = Arrays.copyOf(frame, random.nextInt(frame.length));
            } else {
                frame[random.nextInt(frame.length)] = (byte) random.nextInt(256);
            }
            check(frame);
        });
    }

    @Test
    void randomTextAndBytesAreIgnored() {
        SeededCases.run(19_303, 700, random -> check(switch (random.nextInt(4)) {
            case 0 -> SeededCases.bytes(random, 300);
            case 1 -> SeededCases.utf8(random, 300);
            case 2 -> bytes("{\"event\":\"start\",\"start\":" + "[".repeat(random.nextInt(3000)));
            default -> bytes(HOSTILE.value(random, 4).toString());
        }));
    }

    @AfterAll
    static void report() {
        System.out.printf("twilio frame fuzz: %d inputs tried (%d used, the rest ignored with a reason), "
                + "0 crashes%n", TRIED.get(), USED.get());
    }

    private static void check(byte[] bytes) {
        TRIED.incrementAndGet();
        var frame = TwilioFrames.parse(bytes);
        switch (frame) {
            case TwilioFrame.Ignored ignored -> {
                if (!REASONS.contains(ignored.reason())) {
                    throw new AssertionError("an undocumented reason: " + ignored.reason());
                }
                return;
            }
            case TwilioFrame.Start start -> {
                for (String text : Arrays.asList(start.apiKey(), start.streamSid(), start.callSid(),
                        start.accountSid(), start.callId(), start.repId())) {
                    if (text != null && (text.isBlank() || text.length() > TwilioFrame.MAX_TEXT)) {
                        throw new AssertionError("an identifier out of bounds: " + text.length() + " chars");
                    }
                }
                if (start.tracks().isEmpty() || !start.tracks().stream().allMatch(Track::isValid)
                        || start.tracks().stream().distinct().count() != start.tracks().size()) {
                    throw new AssertionError("tracks " + start.tracks());
                }
            }
            case TwilioFrame.Media media -> {
                if (media.payload() == null || !Track.isValid(media.track())) {
                    throw new AssertionError("media without audio or track " + media.track());
                }
            }
            case TwilioFrame.Noted noted -> {
            }
            case TwilioFrame.Mark mark -> {
                if (mark.name() != null && (mark.name().isBlank() || mark.name().length() > TwilioFrame.MAX_TEXT)) {
                    throw new AssertionError("a mark name out of bounds");
                }
            }
            case TwilioFrame.Stop stop -> {
            }
        }
        USED.incrementAndGet();
    }

    private static String mutation(Random random) {
        var valid = oneOf(random, CORPUS);
        if (chance(random, 1, 6)) {
            var frame = (ObjectNode) valid.deepCopy();
            frame.put("event", oneOf(random, EVENTS));
            return frame.toString();
        }
        return HOSTILE.mutated(random, valid).toString();
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
