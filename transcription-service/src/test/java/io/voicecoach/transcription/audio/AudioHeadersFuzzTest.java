package io.voicecoach.transcription.audio;

import io.voicecoach.events.AudioHeaders;
import io.voicecoach.events.InvalidEventException;
import io.voicecoach.events.Track;
import io.voicecoach.platform.testing.SeededCases;
import io.voicecoach.transcription.session.SessionStates;
import io.voicecoach.transcription.stt.EngineSelector;
import io.voicecoach.transcription.stt.ScriptedEngine;
import io.voicecoach.transcription.stt.TestSttConfig;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static io.voicecoach.platform.testing.SeededCases.chance;
import static io.voicecoach.platform.testing.SeededCases.oneOf;

/**
 * Fuzzes what transcription reads from every {@code voice.audio} record before anything else: the {@code vc-*}
 * headers (any of them missing, random text, bytes that are not UTF-8, numbers out of range, dates that are none) and
 * the {@code vc-stt-phrases} JSON array. The only allowed outcomes are a parsed chunk (whose settings then plan a
 * decoding and whose audio is counted) or {@link InvalidEventException}, which sends the record to
 * {@code voice.audio.dlq}. Anything else thrown is a crash. 4,000 cases from fixed seeds ({@link SeededCases}: a
 * failure names the seed and case that reproduce it); the number of inputs tried is printed at the end.
 */
class AudioHeadersFuzzTest {

    private static final AtomicInteger TRIED = new AtomicInteger();
    private static final AtomicInteger CHUNKS = new AtomicInteger();
    private static final AtomicInteger PHRASE_LISTS = new AtomicInteger();
    private static final UtteranceSettings.Limits LIMITS = new UtteranceSettings.Limits(100, 100);

    private final Decodings decodings;
    private final SessionStates sessions = new SessionStates(Duration.ofMinutes(1), 1000, System::nanoTime, 4,
            Duration.ofSeconds(30));

    AudioHeadersFuzzTest() {
        var config = TestSttConfig.of(Map.of());
        decodings = new Decodings(new EngineSelector(List.of(new ScriptedEngine()), config), config);
    }

    @Test
    void anyHeadersAreAChunkOrADeadLetter() {
        SeededCases.run(19_101, 2000, random -> {
            var headers = headers(random);
            var pcm = audio(random);
            TRIED.incrementAndGet();
            AudioChunk chunk;
            try {
                chunk = AudioChunks.parse(headers, pcm, LIMITS);
            } catch (InvalidEventException deadLetter) {
                return;
            }
            CHUNKS.incrementAndGet();
            var plan = decodings.plan(chunk.tenantId(), chunk.settings());
            if (plan.engine() == null || plan.phrases().size() > LIMITS.maxPhrases()) {
                throw new AssertionError("a plan without an engine or with too many phrases: " + plan);
            }
            sessions.admit(chunk.tenantId(), chunk.sessionId(), 0, chunk.track(), chunk.pcm().length / 2,
                    chunk.receivedAt().toEpochMilli());
        });
    }

    @Test
    void anyPhraseListIsPhrasesOrARefusal() {
        SeededCases.run(19_102, 2000, random -> {
            String json = phraseList(random);
            TRIED.incrementAndGet();
            try {
                var settings = UtteranceSettings.of("scripted", "en-US", json, LIMITS);
                PHRASE_LISTS.incrementAndGet();
                if (settings.phrases().size() > LIMITS.maxPhrases() || settings.phrases().stream()
                        .anyMatch(p -> p.isBlank() || p.length() > LIMITS.maxPhraseChars())) {
                    throw new AssertionError("phrases beyond the limits: " + settings.phrases());
                }
            } catch (InvalidEventException refused) {
                if (refused.getMessage().length() > 1000) {
                    throw new AssertionError("a refusal that echoes the whole header: " + refused.getMessage().length());
                }
            }
        });
    }

    @AfterAll
    static void report() {
        System.out.printf("audio header fuzz: %d inputs tried (%d header sets parsed as chunks, %d phrase lists "
                + "accepted, the rest refused as documented), 0 crashes%n", TRIED.get(), CHUNKS.get(), PHRASE_LISTS.get());
    }

    /** Every {@code vc-*} header, each one mostly typical, sometimes invalid, random, not UTF-8 or missing. */
    private static RecordHeaders headers(Random random) {
        var headers = new RecordHeaders();
        set(headers, AudioHeaders.TENANT_ID, random, List.of("acme", "sess_1", "globex", AudioHeaders.TENANT_ID), List.of());
        set(headers, AudioHeaders.SESSION_ID, random, List.of("acme", "sess_1", "globex", AudioHeaders.SESSION_ID),
                List.of());
        set(headers, AudioHeaders.TRACK, random, List.of(Track.AGENT, Track.CUSTOMER), List.of("rep", "", "AGENT"));
        set(headers, AudioHeaders.UTTERANCE_ID, random, List.of("item_1", "item_2"), List.of("", " "));
        set(headers, AudioHeaders.OFFSET_MS, random, List.of("0", "160", "3200", "48000"),
                List.of("-1", "9223372036854775807", "9223372036854775808", "1e3", " 5"));
        set(headers, AudioHeaders.RECEIVED_AT, random, List.of("2026-12-01T10:00:00Z", "2026-12-01T10:00:00.123456789Z",
                "2026-12-01T10:00:02Z"), List.of("yesterday", "+1000000000-12-31T23:59:59.999999999Z",
                "-1000000000-01-01T00:00:00Z", "1999-12-31T23:59:59Z"));
        set(headers, AudioHeaders.COMMIT, random, List.of("true", "false"), List.of("TRUE", "yes"));
        set(headers, AudioHeaders.STT_ENGINE, random, List.of("scripted", "pocketsphinx", "OPENAI", "martian-asr"),
                List.of("a\r\nFAKE LOG LINE", "x".repeat(500), "\u0000"));
        set(headers, AudioHeaders.LANGUAGE, random, List.of("en-US", "de", "fr-CA"), List.of("", "x".repeat(100)));
        if (chance(random, 1, 2)) {
            String phrases = chance(random, 3, 4) ? oneOf(random, "[]", "[\"Acme Cloud\", \"Globex\"]")
                    : phraseList(random);
            headers.add(AudioHeaders.PHRASES, phrases.getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }

    /**
     * Adds header {@code name} in 30 of 33 cases, mostly one of {@code typical} and in 1 of 7 one of {@code invalid}
     * (when there are any); else it is left out, random text, or bytes that are not UTF-8.
     */
    private static void set(RecordHeaders headers, String name, Random random, List<String> typical,
                            List<String> invalid) {
        int kind = random.nextInt(33);
        if (kind < 30) {
            var values = invalid.isEmpty() || !chance(random, 1, 7) ? typical : invalid;
            headers.add(name, oneOf(random, values).getBytes(StandardCharsets.UTF_8));
        } else if (kind == 31) {
            headers.add(name, SeededCases.utf8(random, 60));
        } else if (kind == 32) {
            headers.add(name, SeededCases.bytes(random, 40));
        }
    }

    /** PCM of up to 3,000 samples, sometimes empty or with an odd byte count. */
    private static byte[] audio(Random random) {
        int kind = random.nextInt(10);
        if (kind == 0) {
            return new byte[0];
        }
        return new byte[random.nextInt(3001) * 2 + (kind == 9 ? 1 : 0)];
    }

    /** A {@code vc-stt-phrases} value: arrays of odd phrases and elements, deep or huge arrays, not JSON at all. */
    private static String phraseList(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> {
                var items = new ArrayList<String>();
                // mostly short lists (a long one almost always holds a refused element), up to 150 elements
                for (int i = random.nextInt(chance(random, 3, 4) ? 11 : 151); i > 0; i--) {
                    items.add(chance(random, 30, 31) ? quoted(phrase(random))
                            : oneOf(random, "1", "null", "true", "{}", "[]", "[\"a\"]", "1e999"));
                }
                yield "[" + String.join(",", items) + "]";
            }
            case 1 -> {
                int levels = 10 + random.nextInt(4991);
                yield "[".repeat(levels) + "]".repeat(levels);
            }
            case 2 -> "[" + "\"a\",".repeat(1000 + random.nextInt(19001)) + "\"a\"]";
            case 3 -> SeededCases.text(random, 200);
            default -> oneOf(random, "[", "]", "{\"a\": 1}", "\"a\"", "", "[\"unterminated");
        };
    }

    private static String phrase(Random random) {
        return switch (random.nextInt(6)) {
            case 0, 1, 2 -> SeededCases.text(random, 40);
            case 3 -> SeededCases.text(random, 110).concat("x".repeat(90));
            default -> oneOf(random, "", " ", "Acme Cloud", "\u0000", "\ud83d\ude00");
        };
    }

    private static String quoted(String phrase) {
        return "\"" + phrase.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
