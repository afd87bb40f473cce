package io.voicecoach.gateway.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicecoach.gateway.session.SessionSettings;
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

/**
 * Fuzzes the Realtime client-event parser ({@link RealtimeJson#read}) the way a hostile client would: a valid frame of
 * every client event type with one node replaced (wrong types, huge numbers, deep nesting, unicode, nulls), removed or
 * given a new field, the frame's bytes truncated or changed, and random bytes. The only allowed outcomes are a
 * {@link ClientEvent} or a {@link RealtimeError} with a documented code, a non-blank bounded message and a param that
 * is a JSON path; what the handlers then do with a bound event without I/O must also hold: a {@code session.update}
 * applies to a new session's settings (or is refused the same way) and its {@code session.updated} frame is written,
 * a {@code response.create}'s unsupported fields are named, an item's text is read. The {@code error} frame of every
 * refusal is written too. Anything else thrown is a crash. 4,500 cases from fixed seeds ({@link SeededCases}: a
 * failure names the seed and case that reproduce it); the number of inputs tried is printed at the end.
 */
public class ClientFrameFuzzTest {

    /** The codes {@code RealtimeJson.read} and {@code SessionPatch.applyTo} document. */
    public static final Set<String> PARSE_CODES = Set.of(RealtimeError.INVALID_JSON, RealtimeError.INVALID_EVENT,
            RealtimeError.UNKNOWN_EVENT_TYPE, RealtimeError.NOT_IMPLEMENTED, RealtimeError.INVALID_TRACK);
    private static final int MAX_MESSAGE = 1000;

    private static final AtomicInteger TRIED = new AtomicInteger();
    private static final AtomicInteger BOUND = new AtomicInteger();
    /** A valid frame of every client event type (GA and beta names), with most of their fields set. */
    static final List<String> VALID = List.of(
            """
            {"type":"session.update","event_id":"evt_1","session":{"type":"realtime","instructions":"Be brief.",
             "output_modalities":["text"],"max_output_tokens":"inf","truncation":"auto","include":[],
             "tool_choice":"auto","tools":[{"type":"function","name":"lookup","description":"d",
             "parameters":{"type":"object","properties":{"q":{"type":"string"}}}}],
             "audio":{"input":{"format":{"type":"audio/pcm","rate":24000},"noise_reduction":null,
              "turn_detection":{"type":"server_vad","threshold":0.5,"prefix_padding_ms":300,
               "silence_duration_ms":500,"idle_timeout_ms":null,"create_response":true,"interrupt_response":true},
              "transcription":{"model":"whisper-1","language":"en","prompt":"Acme"}},
              "output":{"format":{"type":"audio/pcm","rate":24000},"voice":"alloy"}},
             "voicecoach":{"mode":"coach","call_id":"call_1","rep_id":"rep_1","role":"rep",
              "metadata":{"crm":"hubspot"},"phrases":["Acme Cloud"]}}}""",
            """
            {"type":"transcription_session.update","session":{"input_audio_format":"g711_ulaw",
             "input_audio_transcription":{"model":"pocketsphinx"},"turn_detection":null,
             "input_audio_noise_reduction":null,"modalities":["text"],"max_response_output_tokens":"inf",
             "output_audio_format":"pcm16","voicecoach":{"input_audio_rate":16000}}}""",
            """
            {"type":"session.update","session":{"type":"transcription","voicecoach":{"input_audio_rate":16000},
             "audio":{"input":{"format":{"type":"audio/pcmu"}}}}}""",
            "{\"type\":\"input_audio_buffer.append\",\"event_id\":\"evt_2\",\"audio\":\"AAAAAAAA\","
                    + "\"voicecoach\":{\"track\":\"agent\"}}",
            "{\"type\":\"input_audio_buffer.commit\",\"voicecoach\":{\"track\":\"customer\"}}",
            "{\"type\":\"input_audio_buffer.clear\",\"event_id\":\"evt_3\"}",
            """
            {"type":"conversation.item.create","previous_item_id":"root","item":{"id":"item_1","type":"message",
             "role":"user","content":[{"type":"input_text","text":"the price is too high"}]},
             "voicecoach":{"track":"customer"}}""",
            """
            {"type":"conversation.item.create","item":{"type":"message","role":"assistant",
             "content":[{"type":"output_text","text":"Sure."},{"type":"text","text":"Beta."}]}}""",
            """
            {"type":"conversation.item.create","item":{"type":"function_call_output","call_id":"call_9",
             "output":"{\\"slots\\":[]}"}}""",
            "{\"type\":\"conversation.item.retrieve\",\"item_id\":\"item_1\"}",
            "{\"type\":\"conversation.item.delete\",\"event_id\":\"evt_4\",\"item_id\":\"item_1\"}",
            "{\"type\":\"conversation.item.truncate\",\"item_id\":\"item_1\",\"content_index\":0,"
                    + "\"audio_end_ms\":1500}",
            """
            {"type":"response.create","response":{"instructions":"Answer.","conversation":"auto",
             "output_modalities":["text"],"max_output_tokens":"inf"}}""",
            """
            {"type":"response.create","response":{"conversation":"none",
             "metadata":{"voicecoach":"coaching","topic":"x"}}}""",
            "{\"type\":\"response.cancel\",\"response_id\":\"resp_1\"}",
            "{\"type\":\"output_audio_buffer.clear\",\"event_id\":\"evt_5\"}");
    private static final List<String> TYPES = List.of("session.update", "transcription_session.update",
            "input_audio_buffer.append", "input_audio_buffer.commit", "input_audio_buffer.clear",
            "conversation.item.create", "conversation.item.retrieve", "conversation.item.delete",
            "conversation.item.truncate", "response.create", "response.cancel", "output_audio_buffer.clear",
            "conversation.item.teleport", "", "SESSION.UPDATE", "session.update ", "response.text.delta");
    private static final List<String> KEYS = List.of("type", "event_id", "session", "item", "content", "text",
            "audio", "voicecoach", "track", "metadata", "phrases", "turn_detection", "format", "rate", "tools",
            "response", "conversation", "item_id", "call_id", "output", "role", "x", "", "__proto__", "k".repeat(5000));
    private static final HostileJson HOSTILE = new HostileJson(KEYS, List.of("agent", "customer", "rep", "media",
            "coach", "audio/pcm", "audio/pcmu", "server_vad", "semantic_vad", "function", "mcp", "inf", "none", "auto",
            "root", "input_text", "output_text", "text", "message", "function_call_output", "user", "system",
            "assistant", "whisper-1", "realtime", "transcription", "g711_ulaw", "pcm16"));
    private static final List<JsonNode> CORPUS = VALID.stream().map(ClientFrameFuzzTest::tree).toList();

    @Test
    void everyValidFrameBinds() {
        for (String frame : VALID) {
            RealtimeJson.read(frame.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aValidFrameWithOneNodeReplacedBindsOrIsRefusedWithADocumentedCode() {
        SeededCases.run(19_201, 2000, random -> check(bytes(mutation(random))));
    }

    @Test
    void aValidFrameWithItsBytesCutOrChangedBindsOrIsRefusedWithADocumentedCode() {
        SeededCases.run(19_202, 1000, random -> check(corrupted(random)));
    }

    @Test
    void randomTextAndBytesAreRefusedWithADocumentedCode() {
        SeededCases.run(19_203, 1500, random -> check(random(random)));
    }

    @AfterAll
    static void report() {
        System.out.printf("realtime client frame fuzz: %d inputs tried (%d bound to an event, the rest refused with "
                + "a documented code), 0 crashes%n", TRIED.get(), BOUND.get());
    }

    /** The property: bound (and usable), or refused as documented. */
    static void check(byte[] frame) {
        TRIED.incrementAndGet();
        RealtimeJson.clientEventId(frame); // never throws: it names the event of a refusal
        ClientEvent event;
        try {
            event = RealtimeJson.read(frame);
        } catch (RealtimeError refused) {
            assertDocumented(refused, PARSE_CODES);
            return;
        }
        BOUND.incrementAndGet();
        use(event);
    }

    /** What the handlers do with a bound event before any I/O. */
    private static void use(ClientEvent event) {
        switch (event) {
            case SessionEvent.Update update -> {
                update.session().unsupported()
                        .forEach(e -> assertDocumented(e, Set.of(RealtimeError.UNSUPPORTED_VALUE)));
                SessionSettings settings;
                try {
                    settings = update.session().applyTo(SessionSettings.defaults("sess_fuzz"));
                } catch (RealtimeError refused) {
                    assertDocumented(refused, PARSE_CODES);
                    return;
                }
                RealtimeJson.frame(ServerEvent.SessionUpdated.of("sess_fuzz", settings));
            }
            case ConversationEvent.ItemCreate create -> {
                if (create.item().isMessage()) {
                    create.item().text();
                }
            }
            case ResponseEvent.Create create -> {
                var unsupported = create.response().unsupported();
                if (unsupported != null) {
                    assertDocumented(unsupported, Set.of(RealtimeError.UNSUPPORTED_VALUE));
                }
            }
            default -> {
            }
        }
    }

    private static void assertDocumented(RealtimeError error, Set<String> codes) {
        if (!codes.contains(error.code()) || !RealtimeError.INVALID_REQUEST.equals(error.type())) {
            throw new AssertionError("undocumented refusal " + error.type() + "/" + error.code() + ": "
                    + error.getMessage(), error);
        }
        if (error.getMessage() == null || error.getMessage().isBlank() || error.getMessage().length() > MAX_MESSAGE) {
            throw new AssertionError("a refusal without a short message (" + (error.getMessage() == null ? 0
                    : error.getMessage().length()) + " chars): " + error.code());
        }
        if (error.param() != null && (error.param().isBlank() || error.param().length() > MAX_MESSAGE)) {
            throw new AssertionError("a param that is no JSON path: " + error.param());
        }
        RealtimeJson.frame(ServerEvent.ErrorEvent.of(error, "evt_fuzz"));
    }

    /** One of the frames the properties above try. */
    public static byte[] hostile(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> bytes(mutation(random));
            case 1 -> corrupted(random);
            default -> random(random);
        };
    }

    /** Random bytes, text, JSON-ish text, deep nesting or random JSON. */
    static byte[] random(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> SeededCases.bytes(random, 300);
            case 1 -> SeededCases.utf8(random, 300);
            case 2 -> bytes(SeededCases.text(random, "{}[]\":,0123456789.eE+-truefalsn \\u", 0, 300));
            case 3 -> bytes("{\"type\":\"" + oneOf(random, TYPES) + "\"," + "\"a\":[".repeat(random.nextInt(3000))
                    + "}");
            default -> bytes(HOSTILE.value(random, 4).toString());
        };
    }

    /** A valid frame with one node replaced, removed, or a field added beside it. */
    static String mutation(Random random) {
        var valid = oneOf(random, CORPUS);
        if (chance(random, 1, 6)) {
            var frame = (ObjectNode) valid.deepCopy();
            frame.put("type", oneOf(random, TYPES));
            return frame.toString();
        }
        return HOSTILE.mutated(random, valid).toString();
    }

    /** A valid frame's bytes cut short, one byte changed, a slice repeated, or a second value appended. */
    static byte[] corrupted(Random random) {
        byte[] frame = bytes(oneOf(random, VALID));
        return switch (random.nextInt(4)) {
            case 0 -> Arrays.copyOf(frame, random.nextInt(frame.length));
            case 1 -> {
                frame[random.nextInt(frame.length)] = (byte) random.nextInt(256);
                yield frame;
            }
            case 2 -> {
                int at = random.nextInt(frame.length);
                var out = new byte[frame.length + at];
                System.arraycopy(frame, 0, out, 0, at);
                System.arraycopy(frame, 0, out, at, frame.length);
                yield out;
            }
            default -> bytes(new String(frame, StandardCharsets.UTF_8) + oneOf(random, " {}", "x", "\u0000", " 1",
                    "[]", "\n"));
        };
    }

    static JsonNode tree(String json) {
        try {
            return RealtimeJson.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
