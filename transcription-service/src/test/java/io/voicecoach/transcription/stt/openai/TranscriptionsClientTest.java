package io.voicecoach.transcription.stt.openai;

import io.voicecoach.transcription.stt.OpenAiStub;
import io.voicecoach.transcription.stt.OpenAiStub.Answer;
import io.voicecoach.transcription.stt.SttConfig;
import io.voicecoach.transcription.stt.SttException;
import io.voicecoach.transcription.stt.Wav;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.transcription.stt.EngineStubsResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The openai-compatible engine's wire format, retries and errors against a local stub server, through the Quarkus
 * REST Client (hence a Quarkus test; same resources as the other tests so the application is started once).
 */
@QuarkusTest
@QuarkusTestResource(DevstackTestResource.class)
@QuarkusTestResource(EngineStubsResource.class)
class TranscriptionsClientTest {

    private final OpenAiStub stub = start();

    @AfterEach
    void close() {
        stub.close();
    }

    @Test
    void postsTheUtteranceAsMultipartWavWithModelLanguagePromptAndKey() throws Exception {
        stub.answer(Answer.text("What is the price?"));
        byte[] pcm = new byte[3200];

        String text = client(config(2, Duration.ofSeconds(5), Duration.ofSeconds(5))).transcribe(Wav.of(pcm), "en",
                List.of("Acme Cloud", "price match"));

        assertThat(text).isEqualTo("What is the price?");
        var request = stub.received().getFirst();
        assertThat(request.path()).isEqualTo("/v1/audio/transcriptions");
        assertThat(request.header("Authorization")).isEqualTo("Bearer sk-test");
        assertThat(request.header("Content-Type")).startsWith("multipart/form-data; boundary=");
        assertThat(request.field("model")).isEqualTo("whisper-1");
        assertThat(request.field("language")).isEqualTo("en");
        assertThat(request.field("prompt")).isEqualTo("Acme Cloud, price match");
        assertThat(request.field("response_format")).isEqualTo("json");
        var file = request.parts().get("file");
        assertThat(file.headers().get("Content-Disposition")).contains("filename=\"utterance.wav\"");
        assertThat(file.headers().get("Content-Type")).isEqualTo("audio/wav");
        assertThat(file.body()).hasSize(pcm.length + 44).startsWith("RIFF".getBytes());
        assertThat(request.body().length).isGreaterThan(pcm.length + 44);
    }

    @Test
    void retriesA429AfterTheServersRetryAfter() throws Exception {
        stub.answer(Answer.status(429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}",
                Map.of("Retry-After", "0.6")), Answer.text("deal"));

        assertThat(client(config(2, Duration.ofSeconds(5), Duration.ofSeconds(5))).transcribe(Wav.of(new byte[320]), "en", List.of()))
                .isEqualTo("deal");

        assertThat(stub.received()).hasSize(2);
        long waitedMs = (stub.received().get(1).atNanos() - stub.received().get(0).atNanos()) / 1_000_000;
        assertThat(waitedMs).isGreaterThanOrEqualTo(550);
    }

    @Test
    void givesUpOnRepeated5xxAfterTheConfiguredRetries() {
        stub.answer(Answer.status(500, "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\",\"code\":null}}", Map.of()));

        assertThatThrownBy(() -> client(config(2, Duration.ofSeconds(5), Duration.ofSeconds(5)))
                .transcribe(Wav.of(new byte[320]), "en", List.of()))
                .isInstanceOf(SttException.class)
                .hasMessageContaining("500").hasMessageContaining("The server had an error")
                .extracting(e -> ((SttException) e).code()).isEqualTo("engine_error");
        assertThat(stub.received()).hasSize(3);
    }

    @Test
    void aClientErrorIsReportedWithTheServersMessageAndNotRetried() {
        stub.answer(Answer.status(400, "{\"error\":{\"message\":\"Invalid file format.\",\"type\":\"invalid_request_error\",\"code\":\"invalid_value\"}}", Map.of()));

        assertThatThrownBy(() -> client(config(2, Duration.ofSeconds(5), Duration.ofSeconds(5)))
                .transcribe(Wav.of(new byte[320]), "en", List.of()))
                .isInstanceOf(SttException.class)
                .hasMessageContaining("400: Invalid file format. (type invalid_request_error, code invalid_value)")
                .extracting(e -> ((SttException) e).code()).isEqualTo("engine_rejected");
        assertThat(stub.received()).hasSize(1);
    }

    @Test
    void aServerThatNeverAnswersIsBoundedByTheRequestTimeout() {
        stub.answer(Answer.never());
        long start = System.nanoTime();

        assertThatThrownBy(() -> client(config(1, Duration.ofMillis(400), Duration.ofMillis(100)))
                .transcribe(Wav.of(new byte[320]), "en", List.of()))
                .isInstanceOf(SttException.class)
                .extracting(e -> ((SttException) e).code()).isEqualTo("engine_timeout");

        assertThat(stub.received()).hasSize(2);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aServerThatIsNotListeningIsUnreachable() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var config = config(1, Duration.ofSeconds(2), Duration.ofMillis(50));
        var nowhere = new SttConfig.OpenAi() {
            public String baseUrl() { return "http://127.0.0.1:" + closedPort; }
            public Optional<String> apiKey() { return Optional.empty(); }
            public String model() { return config.model(); }
            public Duration connectTimeout() { return config.connectTimeout(); }
            public Duration requestTimeout() { return config.requestTimeout(); }
            public int maxRetries() { return config.maxRetries(); }
            public Duration backoff() { return config.backoff(); }
            public Duration maxBackoff() { return config.maxBackoff(); }
        };

        assertThatThrownBy(() -> new TranscriptionsClient(nowhere).transcribe(Wav.of(new byte[320]), "en", List.of()))
                .isInstanceOf(SttException.class)
                .hasMessageContaining("cannot reach http://127.0.0.1:" + closedPort)
                .extracting(e -> ((SttException) e).code()).isEqualTo("engine_unreachable");
    }

    @Test
    void aRejectedKeyIsUnauthorizedAndNotRetried() {
        stub.answer(Answer.status(401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-test.\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}", Map.of()));

        assertThatThrownBy(() -> client(config(2, Duration.ofSeconds(5), Duration.ofSeconds(5)))
                .transcribe(Wav.of(new byte[320]), "en", List.of()))
                .hasMessageContaining("401: Incorrect API key provided")
                .extracting(e -> ((SttException) e).code()).isEqualTo("engine_unauthorized");
        assertThat(stub.received()).hasSize(1);
    }

    @Test
    void aSuccessWithoutTextIsABadResponse() {
        stub.answer(Answer.status(200, "{\"transcript\":\"x\"}", Map.of()));

        assertThatThrownBy(() -> client(config(0, Duration.ofSeconds(5), Duration.ofSeconds(5)))
                .transcribe(Wav.of(new byte[320]), "en", List.of()))
                .extracting(e -> ((SttException) e).code()).isEqualTo("engine_bad_response");
    }

    private TranscriptionsClient client(SttConfig.OpenAi config) {
        return new TranscriptionsClient(config);
    }

    private SttConfig.OpenAi config(int retries, Duration requestTimeout, Duration backoff) {
        String base = stub.baseUrl();
        return new SttConfig.OpenAi() {
            public String baseUrl() { return base + "/"; }
            public Optional<String> apiKey() { return Optional.of("sk-test"); }
            public String model() { return "whisper-1"; }
            public Duration connectTimeout() { return Duration.ofSeconds(2); }
            public Duration requestTimeout() { return requestTimeout; }
            public int maxRetries() { return retries; }
            public Duration backoff() { return backoff; }
            public Duration maxBackoff() { return Duration.ofSeconds(2); }
        };
    }

    private static OpenAiStub start() {
        try {
            return new OpenAiStub();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
