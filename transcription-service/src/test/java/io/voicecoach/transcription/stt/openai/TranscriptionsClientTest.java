package io.voicecoach.transcription.stt.openai;

import io.voicecoach.transcription.stt.OpenAiStub;
import io.voicecoach.transcription.stt.OpenAiStub.Answer;
import io.voicecoach.transcription.stt.SttConfig;
import io.voicecoach.transcription.stt.SttException;
import io.voicecoach.transcription.stt.Wav;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The openai-compatible engine's wire format, retries and errors against a local stub server. */
class TranscriptionsClientTest {

    private final OpenAiStub stub = start();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void close() {
        stub.close();
        http.close();
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
        String body = request.bodyText();
        assertThat(body).contains("name=\"model\"\r\n\r\nwhisper-1\r\n")
                .contains("name=\"language\"\r\n\r\nen\r\n")
                .contains("name=\"prompt\"\r\n\r\nAcme Cloud, price match\r\n")
                .contains("name=\"response_format\"\r\n\r\njson\r\n")
                .contains("name=\"file\"; filename=\"utterance.wav\"\r\nContent-Type: audio/wav\r\n\r\nRIFF");
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
    void aSuccessWithoutTextIsABadResponse() {
        stub.answer(Answer.status(200, "{\"transcript\":\"x\"}", Map.of()));

        assertThatThrownBy(() -> client(config(0, Duration.ofSeconds(5), Duration.ofSeconds(5)))
                .transcribe(Wav.of(new byte[320]), "en", List.of()))
                .extracting(e -> ((SttException) e).code()).isEqualTo("engine_bad_response");
    }

    private TranscriptionsClient client(SttConfig.OpenAi config) {
        return new TranscriptionsClient(http, config);
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
