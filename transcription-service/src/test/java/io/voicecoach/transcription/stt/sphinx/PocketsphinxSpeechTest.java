package io.voicecoach.transcription.stt.sphinx;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import io.voicecoach.transcription.audio.Chunks;
import io.voicecoach.transcription.stt.EngineStubsResource;
import io.voicecoach.transcription.stt.RecognitionRequest;
import io.voicecoach.transcription.stt.RecognitionResult;
import io.voicecoach.transcription.stt.Speech;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundled engine on synthesised speech (espeak-ng, {@link Speech#VOICE}). Asserts on keywords, prints what it measured:
 * real-time factor (decoder wall time over audio time, model load included) and the hypotheses.
 */
@QuarkusTest
@QuarkusTestResource(DevstackTestResource.class)
@QuarkusTestResource(EngineStubsResource.class)
class PocketsphinxSpeechTest {

    @Inject
    PocketsphinxEngine engine;

    @BeforeEach
    void tools() {
        Speech.assumeTools("espeak-ng", "sox", "pocketsphinx_continuous");
    }

    @Test
    void recognisesSalesKeywordsFasterThanRealTime() throws Exception {
        var sentences = List.of(
                "what is the price of the contract",
                "the price is too high for our budget",
                "can you send me the contract by friday",
                "i need to talk to my manager first",
                "is there a discount for an annual contract",
                "let us schedule a demo next week");
        long audioMs = 0;
        long decodeNanos = 0;
        int keywordsHeard = 0;
        int keywords = 0;
        for (String sentence : sentences) {
            byte[] pcm = Speech.pcm(sentence);
            long start = System.nanoTime();
            var result = recognise(pcm, List.of());
            decodeNanos += System.nanoTime() - start;
            audioMs += pcm.length / 32;
            for (String keyword : List.of("price", "contract", "budget", "discount", "manager", "demo")) {
                if (sentence.contains(keyword)) {
                    keywords++;
                    keywordsHeard += words(result.text()).contains(keyword) ? 1 : 0;
                }
            }
            System.out.printf("pocketsphinx: [%s] -> [%s] confidence %.2f%n", sentence, result.text(), result.confidence());
        }
        double rtf = decodeNanos / 1e6 / audioMs;
        System.out.printf("pocketsphinx: %d ms audio, RTF %.2f (wall, process start included), keywords %d/%d, load %s%n",
                audioMs, rtf, keywordsHeard, keywords, loadAverage());

        var first = recognise(Speech.pcm(sentences.getFirst()), List.of());
        assertThat(words(first.text())).contains("price", "contract");
        assertThat(first.words()).isNotEmpty().allSatisfy(w -> assertThat(w.endMs()).isGreaterThan(w.startMs()));
        assertThat(first.confidence()).isBetween(0.0, 1.0);
        assertThat(keywordsHeard).isGreaterThanOrEqualTo(keywords * 2 / 3);
        assertThat(rtf).isLessThan(2.0); // generous: the shared CI machine is loaded; measured figures go to the log
    }

    @Test
    void aPhraseListMakesAWordOutsideTheDomainModelRecognisable() throws Exception {
        byte[] pcm = Speech.pcm("we are moving to oracle next quarter");

        var plain = recognise(pcm, List.of());
        var biased = recognise(pcm, List.of("Oracle", "moving to Oracle"));
        System.out.printf("pocketsphinx phrases: plain [%s], with phrase list [%s]%n", plain.text(), biased.text());

        assertThat(words(plain.text())).doesNotContain("oracle");
        assertThat(words(biased.text())).contains("oracle");
    }

    @Test
    void aPauseInsideTheUtteranceGivesAPartialBeforeTheEnd() throws Exception {
        byte[] first = Speech.pcm("what is the price");
        byte[] pcm = concat(first, Speech.silence(1200), Speech.pcm("send me the contract"));
        try (var recognizer = engine.open(request(List.of()))) {
            int split = first.length + 1200 * 32;
            feed(recognizer, Arrays.copyOfRange(pcm, 0, split));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> recognizer.partial().isPresent());
            assertThat(words(recognizer.partial().orElseThrow().text())).contains("price");
            feed(recognizer, Arrays.copyOfRange(pcm, split, pcm.length));
            assertThat(words(recognizer.finish().text())).contains("price", "contract");
        }
    }

    @Test
    void continuousSpeechGivesPartialsBeforeTheEndWithoutWaitingForAPause() throws Exception {
        byte[] pcm = Speech.pcm("what is the price of the annual contract for the whole team");
        try (var recognizer = engine.open(request(List.of()))) {
            int split = pcm.length * 2 / 3;
            feed(recognizer, Arrays.copyOfRange(pcm, 0, split));
            // no pause in two thirds of a sentence: only the decode of the utterance so far can give this
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> recognizer.partial().isPresent());
            var partial = recognizer.partial().orElseThrow();
            System.out.printf("pocketsphinx partial after %d ms of %d: [%s] confidence %.2f%n", split / 32, pcm.length / 32,
                    partial.text(), partial.confidence());
            assertThat(partial.text()).isNotBlank();
            assertThat(partial.confidence()).isBetween(0.0, 1.0);
            assertThat(partial.words()).isNotEmpty().allSatisfy(w -> assertThat(w.endMs()).isLessThanOrEqualTo(split / 32 + 50));
            feed(recognizer, Arrays.copyOfRange(pcm, split, pcm.length));
            assertThat(words(recognizer.finish().text())).contains("price");
        }
    }

    @Test
    void liveSpeechOnVoiceAudioGivesPartialsThenTheFinal() {
        String session = "sess_" + java.util.UUID.randomUUID();
        try (var kafka = KafkaTestClient.forSharedBroker(); var transcripts = kafka.read(Topics.TRANSCRIPTS)) {
            // long enough for decodes of the utterance so far to finish while it goes on, also on a loaded machine
            byte[] pcm = Speech.pcm("what is the price of the annual contract for the whole team and can you send me "
                    + "the contract by friday because i need to talk to my manager first");
            Chunks.sendUtteranceLive(kafka, "acme", session, Track.AGENT, "item_live", 2000, pcm);

            var fin = transcripts.awaitOne(r -> r.envelope() != null && session.equals(r.envelope().sessionId())
                    && EventTypes.TRANSCRIPT_FINAL.equals(r.envelope().type()), java.time.Duration.ofSeconds(60))
                    .envelope().payloadAs(Transcript.class);
            var partials = transcripts.envelopes(session, EventTypes.TRANSCRIPT_PARTIAL).stream()
                    .map(e -> e.payloadAs(Transcript.class)).toList();
            System.out.printf("pocketsphinx live: %d ms of speech, partials %s, final [%s], load %s%n", pcm.length / 32,
                    partials.stream().map(p -> p.endMs() - 2000 + " ms: " + p.text()).toList(), fin.text(), loadAverage());
            assertThat(partials).isNotEmpty().allSatisfy(p -> {
                assertThat(p.engine()).isEqualTo(PocketsphinxEngine.NAME);
                assertThat(p.track()).isEqualTo(Track.AGENT);
                assertThat(p.utteranceId()).isEqualTo("item_live");
                assertThat(p.isFinal()).isFalse();
                assertThat(p.text()).isNotBlank();
                assertThat(p.confidence()).isBetween(0.0, 1.0);
                assertThat(p.startMs()).isEqualTo(2000);
                assertThat(p.endMs()).isGreaterThan(2000).isLessThanOrEqualTo(fin.endMs());
                assertThat(p.receivedAt()).isBeforeOrEqualTo(fin.receivedAt());
            });
            assertThat(words(fin.text())).contains("price");
        }
    }

    @Test
    void speechOnVoiceAudioBecomesAFinalTranscriptFromTheBundledEngine() {
        String session = "sess_" + java.util.UUID.randomUUID();
        try (var kafka = KafkaTestClient.forSharedBroker(); var transcripts = kafka.read(Topics.TRANSCRIPTS)) {
            byte[] pcm = concat(Speech.silence(300), Speech.pcm("what is the price of the contract"), Speech.silence(300));
            Chunks.sendUtterance(kafka, "acme", session, Track.CUSTOMER, "item_speech", 5000, pcm, true);

            var fin = transcripts.awaitOne(r -> r.envelope() != null && session.equals(r.envelope().sessionId())
                    && EventTypes.TRANSCRIPT_FINAL.equals(r.envelope().type()), java.time.Duration.ofSeconds(60));
            var transcript = fin.envelope().payloadAs(Transcript.class);
            System.out.printf("pocketsphinx via Kafka: [%s] confidence %.2f%n", transcript.text(), transcript.confidence());
            assertThat(words(transcript.text())).contains("price", "contract");
            assertThat(transcript.engine()).isEqualTo(PocketsphinxEngine.NAME);
            assertThat(transcript.startMs()).isEqualTo(5000);
            assertThat(transcript.endMs()).isEqualTo(5000 + pcm.length / 32);
            assertThat(transcript.confidence()).isGreaterThan(0);
        }
    }

    private RecognitionResult recognise(byte[] pcm, List<String> phrases) throws Exception {
        try (var recognizer = engine.open(request(phrases))) {
            feed(recognizer, pcm);
            return recognizer.finish();
        }
    }

    private static void feed(io.voicecoach.transcription.stt.Recognizer recognizer, byte[] pcm) {
        for (int from = 0; from < pcm.length; from += 5120) {
            recognizer.accept(Arrays.copyOfRange(pcm, from, Math.min(pcm.length, from + 5120)));
        }
    }

    private static RecognitionRequest request(List<String> phrases) {
        return new RecognitionRequest("acme", "sess_speech", "customer", "item_speech", "en-US", phrases);
    }

    static List<String> words(String text) {
        return Arrays.asList(text.toLowerCase(Locale.ROOT).split("\\s+"));
    }

    static byte[] concat(byte[]... parts) {
        var out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
