package io.voicecoach.transcription.audio;

import io.voicecoach.events.AudioHeaders;
import io.voicecoach.events.InvalidEventException;
import io.voicecoach.events.Track;
import io.voicecoach.transcription.session.SessionStates;
import io.voicecoach.transcription.stt.EngineSelector;
import io.voicecoach.transcription.stt.ScriptedEngine;
import io.voicecoach.transcription.stt.TestSttConfig;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fuzzes what transcription reads from every {@code voice.audio} record before anything else: the {@code vc-*}
 * headers (any of them missing, random text, bytes that are not UTF-8, numbers out of range, dates that are none) and
 * the {@code vc-stt-phrases} JSON array. The only allowed outcomes are a parsed chunk (whose settings then plan a
 * decoding and whose audio is counted) or {@link InvalidEventException}, which sends the record to
 * {@code voice.audio.dlq}. Anything else thrown is a crash. The number of inputs tried is printed at the end.
 */
class AudioHeadersFuzzTest {

    private static final AtomicInteger TRIED = new AtomicInteger();
    private static final AtomicInteger CHUNKS = new AtomicInteger();
    private static final AtomicInteger PHRASE_LISTS = new AtomicInteger();
    private static final UtteranceSettings.Limits LIMITS = new UtteranceSettings.Limits(100, 100);
    private static final List<String> NAMES = List.of(AudioHeaders.TENANT_ID, AudioHeaders.SESSION_ID,
            AudioHeaders.TRACK, AudioHeaders.UTTERANCE_ID, AudioHeaders.OFFSET_MS, AudioHeaders.RECEIVED_AT,
            AudioHeaders.COMMIT, AudioHeaders.STT_ENGINE, AudioHeaders.LANGUAGE, AudioHeaders.PHRASES);

    private final Decodings decodings;
    private final SessionStates sessions = new SessionStates(Duration.ofMinutes(1), 1000, System::nanoTime, 4,
            Duration.ofSeconds(30));

    AudioHeadersFuzzTest() {
        var config = TestSttConfig.of(Map.of());
        decodings = new Decodings(new EngineSelector(List.of(new ScriptedEngine()), config), config);
    }

    @Property(tries = 2000, edgeCases = EdgeCasesMode.NONE)
    void anyHeadersAreAChunkOrADeadLetter(@ForAll("headers") List<Optional<byte[]>> values,
                                          @ForAll("audio") byte[] pcm) {
        TRIED.incrementAndGet();
        var headers = new RecordHeaders();
        for (int i = 0; i < NAMES.size(); i++) {
            int at = i;
            values.get(i).ifPresent(value -> headers.add(NAMES.get(at), value));
        }
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
    }

    @Property(tries = 2000)
    void anyPhraseListIsPhrasesOrARefusal(@ForAll("phraseLists") String json) {
        TRIED.incrementAndGet();
        try {
            var settings = UtteranceSettings.of("scripted", "en-US", json, LIMITS);
            PHRASE_LISTS.incrementAndGet();
            if (settings.phrases().size() > LIMITS.maxPhrases()
                    || settings.phrases().stream().anyMatch(p -> p.isBlank() || p.length() > LIMITS.maxPhraseChars())) {
                throw new AssertionError("phrases beyond the limits: " + settings.phrases());
            }
        } catch (InvalidEventException refused) {
            if (refused.getMessage().length() > 1000) {
                throw new AssertionError("a refusal that echoes the whole header: " + refused.getMessage().length());
            }
        }
    }

    @AfterContainer
    static void report() {
        System.out.printf("audio header fuzz: %d inputs tried (%d header sets parsed as chunks, %d phrase lists "
                + "accepted, the rest refused as documented), 0 crashes%n", TRIED.get(), CHUNKS.get(), PHRASE_LISTS.get());
    }

    @Provide
    Arbitrary<List<Optional<byte[]>>> headers() {
        return Combinators.combine(value(valid(AudioHeaders.TENANT_ID)), value(valid(AudioHeaders.SESSION_ID)),
                        value(typical(List.of(Track.AGENT, Track.CUSTOMER), List.of("rep", "", "AGENT"))),
                        value(typical(List.of("item_1", "item_2"), List.of("", " "))),
                        value(typical(List.of("0", "160", "3200", "48000"),
                                List.of("-1", "9223372036854775807", "9223372036854775808", "1e3", " 5"))),
                        value(typical(List.of("2026-12-01T10:00:00Z", "2026-12-01T10:00:00.123456789Z",
                                "2026-12-01T10:00:02Z"), List.of("yesterday", "+1000000000-12-31T23:59:59.999999999Z",
                                "-1000000000-01-01T00:00:00Z", "1999-12-31T23:59:59Z"))),
                        value(typical(List.of("true", "false"), List.of("TRUE", "yes"))),
                        value(typical(List.of("scripted", "pocketsphinx", "OPENAI", "martian-asr"),
                                List.of("a\r\nFAKE LOG LINE", "x".repeat(500), "\u0000"))))
                .flatAs((tenant, session, track, utterance, offset, received, commit, engine) ->
                        Combinators.combine(value(typical(List.of("en-US", "de", "fr-CA"), List.of("", "x".repeat(100)))),
                                Arbitraries.frequencyOf(
                                        net.jqwik.api.Tuple.of(3, Arbitraries.of("[]", "[\"Acme Cloud\", \"Globex\"]")),
                                        net.jqwik.api.Tuple.of(1, phraseLists()))
                                        .map(p -> p.getBytes(StandardCharsets.UTF_8)).optional(0.5))
                                .as((language, phrases) -> List.of(tenant, session, track, utterance, offset, received,
                                        commit, engine, language, phrases)));
    }

    /** Mostly {@code valid} values, sometimes {@code invalid} ones. */
    private static Arbitrary<String> typical(List<String> valid, List<String> invalid) {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, Arbitraries.of(valid)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(invalid)));
    }

    @Provide
    Arbitrary<byte[]> audio() {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, Arbitraries.just(new byte[0])),
                net.jqwik.api.Tuple.of(8, Arbitraries.integers().between(0, 3000).map(n -> new byte[n * 2])),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 3000).map(n -> new byte[n * 2 + 1])));
    }

    @Provide
    Arbitrary<String> phraseLists() {
        var phrase = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40), Arbitraries.strings().ofMinLength(90)
                .ofMaxLength(200), Arbitraries.of("", " ", "Acme Cloud", "\u0000", "\ud83d\ude00"));
        var quoted = phrase.map(p -> "\"" + p.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        var element = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(30, quoted),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("1", "null", "true", "{}", "[]", "[\"a\"]", "1e999")));
        var array = element.list().ofMaxSize(150).map(items -> "[" + String.join(",", items) + "]");
        var nested = Arbitraries.integers().between(10, 5000).map(n -> "[".repeat(n) + "]".repeat(n));
        var huge = Arbitraries.integers().between(1000, 20000).map(n -> "[" + "\"a\",".repeat(n) + "\"a\"]");
        return Arbitraries.oneOf(array, nested, huge, Arbitraries.strings().ofMaxLength(200),
                Arbitraries.of("[", "]", "{\"a\": 1}", "\"a\"", "", "[\"unterminated"));
    }

    private static Arbitrary<String> valid(String name) {
        return Arbitraries.of("acme", "sess_1", "globex", name);
    }

    /** A header absent, set to one of {@code typical}, to random text, or to bytes that are not UTF-8. */
    private static Arbitrary<Optional<byte[]>> value(Arbitrary<String> typical) {
        Arbitrary<byte[]> usual = typical.map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> text = Arbitraries.strings().ofMaxLength(60).map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(30, usual.map(Optional::of)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Optional.<byte[]>empty())),
                net.jqwik.api.Tuple.of(1, text.map(Optional::of)), net.jqwik.api.Tuple.of(1, bytes.map(Optional::of)));
    }
}
