package io.voicecoach.transcription.stt.deepgram;

import io.voicecoach.transcription.stt.DeepgramStub;
import io.voicecoach.transcription.stt.DeepgramStub.Script;
import io.voicecoach.transcription.stt.RecognitionRequest;
import io.voicecoach.transcription.stt.SttConfig;
import io.voicecoach.transcription.stt.SttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The deepgram engine against a local server speaking Deepgram's streaming wire format. */
class DeepgramEngineTest {

    private static final byte[] FRAME = new byte[3200]; // 100 ms
    private final DeepgramStub stub = new DeepgramStub();

    @AfterEach
    void close() {
        stub.close();
    }

    @Test
    void streamsAudioAndTurnsInterimResultsIntoPartialsAndFinalsIntoTheTranscript() throws Exception {
        stub.script(Script.says(3, "what is the price", "we already use Globex"));
        var engine = engine(DeepgramStub.KEY, Duration.ofSeconds(5));
        try (var recognizer = engine.open(request(List.of("Acme Cloud", "Globex")))) {
            recognizer.accept(FRAME);
            await().atMost(Duration.ofSeconds(10)).until(() -> recognizer.partial().isPresent());
            assertThat(recognizer.partial().orElseThrow().text()).isEqualTo("what");
            assertThat(recognizer.partial().orElseThrow().confidence()).isEqualTo(0.6);

            recognizer.accept(FRAME);
            recognizer.accept(FRAME); // third frame: the first segment is final
            await().atMost(Duration.ofSeconds(10)).until(() -> recognizer.partial().orElseThrow().text().equals("what is the price"));
            recognizer.accept(FRAME);
            await().atMost(Duration.ofSeconds(10)).until(() -> recognizer.partial().orElseThrow().text().equals("what is the price we"));
            recognizer.accept(new byte[0]); // a commit chunk may be empty: never sent (Deepgram would close)

            var result = recognizer.finish();
            assertThat(result.text()).isEqualTo("what is the price we already use Globex");
            assertThat(result.confidence()).isEqualTo(0.95);
            assertThat(result.words()).extracting(w -> w.word()).containsExactly("what", "is", "the", "price", "we", "already", "use", "globex");
            assertThat(result.words()).allSatisfy(w -> assertThat(w.endMs()).isGreaterThan(w.startMs()));
        }
        var connection = stub.connections().getFirst();
        assertThat(connection.headers().get("Authorization")).isEqualTo("Token " + DeepgramStub.KEY);
        assertThat(connection.query()).isEqualTo("encoding=linear16&sample_rate=16000&channels=1&interim_results=true"
                + "&endpointing=300&language=en-US&keywords=Acme+Cloud%3A2&keywords=Globex%3A2");
        assertThat(connection.audioBytes().get()).isEqualTo(4 * FRAME.length);
        assertThat(connection.texts()).containsExactly("{\"type\":\"CloseStream\"}");
    }

    @Test
    void audioDeepgramCannotDecodeIsAudioInvalid() {
        stub.script(Script.closesWith(1008, "DATA-0000"));
        try (var recognizer = engine(DeepgramStub.KEY, Duration.ofSeconds(5)).open(request(List.of()))) {
            recognizer.accept(FRAME);
            assertThatThrownBy(recognizer::finish).isInstanceOf(SttException.class)
                    .hasMessageContaining("1008 DATA-0000")
                    .extracting(e -> ((SttException) e).code()).isEqualTo("audio_invalid");
        }
    }

    @Test
    void aServerSideCloseIsAnEngineError() {
        stub.script(Script.closesWith(1011, "NET-0000"));
        try (var recognizer = engine(DeepgramStub.KEY, Duration.ofSeconds(5)).open(request(List.of()))) {
            recognizer.accept(FRAME);
            assertThatThrownBy(() -> {
                recognizer.accept(FRAME); // may already see the close
                recognizer.finish();
            }).isInstanceOf(SttException.class)
                    .hasMessageContaining("1011 NET-0000")
                    .extracting(e -> ((SttException) e).code()).isEqualTo("engine_error");
        }
    }

    @Test
    void aServerThatNeverAnswersIsBoundedByTheResponseTimeout() {
        stub.script(Script.neverAnswers());
        long start = System.nanoTime();
        try (var recognizer = engine(DeepgramStub.KEY, Duration.ofMillis(500)).open(request(List.of()))) {
            recognizer.accept(FRAME);
            assertThatThrownBy(recognizer::finish).isInstanceOf(SttException.class)
                    .extracting(e -> ((SttException) e).code()).isEqualTo("engine_timeout");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aRejectedKeyIsReportedWithDeepgramsReason() {
        assertThatThrownBy(() -> engine("wrong", Duration.ofSeconds(5)).open(request(List.of())))
                .isInstanceOf(SttException.class)
                .hasMessageContaining("401").hasMessageContaining("Invalid credentials.")
                .extracting(e -> ((SttException) e).code()).isEqualTo("engine_unauthorized");
    }

    @Test
    void isDisabledWithoutAnApiKey() {
        assertThat(new DeepgramEngine(config(null, Duration.ofSeconds(1))).enabled()).isFalse();
        assertThat(engine(DeepgramStub.KEY, Duration.ofSeconds(1)).enabled()).isTrue();
    }

    private DeepgramEngine engine(String key, Duration responseTimeout) {
        return new DeepgramEngine(config(key, responseTimeout));
    }

    private SttConfig.Deepgram config(String key, Duration responseTimeout) {
        String url = stub.url();
        return new SttConfig.Deepgram() {
            public Optional<String> apiKey() { return Optional.ofNullable(key); }
            public String url() { return url; }
            public Optional<String> model() { return Optional.empty(); }
            public Duration endpointing() { return Duration.ofMillis(300); }
            public int keywordBoost() { return 2; }
            public Duration connectTimeout() { return Duration.ofSeconds(10); } // the stub's first handshake is slow on a loaded machine
            public Duration responseTimeout() { return responseTimeout; }
        };
    }

    private static RecognitionRequest request(List<String> phrases) {
        return new RecognitionRequest("acme", "sess_dg", "customer", "item_dg", "en-US", phrases);
    }
}
