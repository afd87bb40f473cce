package io.voicecoach.transcription.tts.openai;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.events.EventJson;
import io.voicecoach.transcription.stt.EngineStubsResource;
import io.voicecoach.transcription.stt.OpenAiStub;
import io.voicecoach.transcription.stt.OpenAiStub.Answer;
import io.voicecoach.transcription.tts.SpeechException;
import io.voicecoach.transcription.tts.TtsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code openai-compatible} speech engine against a local server speaking {@code POST /v1/audio/speech}: the
 * request's shape, 429 with Retry-After, 500 given up after the retries, a server that never answers. It uses the
 * Quarkus REST Client (hence a Quarkus test; same resources as the other tests so the application is started once).
 */
@QuarkusTest
@QuarkusTestResource(DevstackTestResource.class)
@QuarkusTestResource(EngineStubsResource.class)
class OpenAiSpeechEngineTest {

    private static final String SERVER_ERROR = "{\"error\":{\"message\":\"The server had an error\","
            + "\"type\":\"server_error\",\"code\":null}}";

    private final OpenAiStub stub = start();

    @AfterEach
    void close() {
        stub.close();
    }

    @Test
    void postsTheTextAsJsonAskingForPcmAndReturns24kHzAudio() throws Exception {
        byte[] pcm = new byte[4800];
        pcm[1] = 0x10;
        stub.answer(Answer.pcm(pcm));

        var speech = engine(2, Duration.ofSeconds(5)).synthesize("Your car is booked.", "coral");

        assertThat(speech.sampleRate()).isEqualTo(24_000);
        assertThat(speech.pcm()).isEqualTo(pcm);
        var request = stub.received().getFirst();
        assertThat(request.path()).isEqualTo("/v1/audio/speech");
        assertThat(request.header("Authorization")).isEqualTo("Bearer sk-test");
        assertThat(request.header("Content-Type")).startsWith("application/json");
        var body = EventJson.MAPPER.readTree(request.body());
        assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini-tts");
        assertThat(body.path("input").asText()).isEqualTo("Your car is booked.");
        assertThat(body.path("voice").asText()).isEqualTo("coral");
        assertThat(body.path("response_format").asText()).isEqualTo("pcm");
        assertThat(body.path("speed").asDouble()).as("the normal pace").isEqualTo(1.0);
    }

    @Test
    void sendsTheSessionsSpeed() throws Exception {
        stub.answer(Answer.pcm(new byte[480]));

        engine(2, Duration.ofSeconds(5)).synthesize("Your car is booked.", "coral", 1.25);

        var body = EventJson.MAPPER.readTree(stub.received().getFirst().body());
        assertThat(body.path("speed").isNumber()).isTrue();
        assertThat(body.path("speed").asDouble()).isEqualTo(1.25);
    }

    @Test
    void retriesA429AfterTheServersRetryAfter() {
        stub.answer(Answer.status(429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
                + "\"code\":\"rate_limit_exceeded\"}}", Map.of("Retry-After", "0.6")), Answer.pcm(new byte[480]));

        assertThat(engine(2, Duration.ofSeconds(5)).synthesize("Hello.", "alloy").pcm()).hasSize(480);

        assertThat(stub.received()).hasSize(2);
        long waitedMs = (stub.received().get(1).atNanos() - stub.received().get(0).atNanos()) / 1_000_000;
        assertThat(waitedMs).isGreaterThanOrEqualTo(550);
    }

    @Test
    void givesUpOnRepeated500sAfterTheConfiguredRetriesWithEngineError() {
        stub.answer(Answer.status(500, SERVER_ERROR, Map.of()));

        assertThatThrownBy(() -> engine(2, Duration.ofSeconds(5)).synthesize("Hello.", "alloy"))
                .isInstanceOf(SpeechException.class)
                .hasMessageContaining("500: The server had an error")
                .extracting(e -> ((SpeechException) e).code()).isEqualTo("engine_error");
        assertThat(stub.received()).hasSize(3);
    }

    @Test
    void aServerThatNeverAnswersIsBoundedByTheRequestTimeout() {
        stub.answer(Answer.never());
        long started = System.nanoTime();

        assertThatThrownBy(() -> engine(1, Duration.ofMillis(500)).synthesize("Hello.", "alloy"))
                .isInstanceOf(SpeechException.class)
                .extracting(e -> ((SpeechException) e).code()).isEqualTo("engine_timeout");
        assertThat(stub.received()).as("the first attempt and one retry").hasSize(2);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aRejectedRequestIsNotRetried() {
        stub.answer(Answer.status(400, "{\"error\":{\"message\":\"Invalid voice\",\"type\":\"invalid_request_error\","
                + "\"code\":null}}", Map.of()));

        assertThatThrownBy(() -> engine(2, Duration.ofSeconds(5)).synthesize("Hello.", "nobody"))
                .hasMessageContaining("400: Invalid voice")
                .extracting(e -> ((SpeechException) e).code()).isEqualTo("engine_rejected");
        assertThat(stub.received()).hasSize(1);
    }

    private OpenAiSpeechEngine engine(int retries, Duration requestTimeout) {
        String base = stub.baseUrl();
        return new OpenAiSpeechEngine(new TtsConfig.OpenAi() {
            public String baseUrl() { return base + "/"; }
            public Optional<String> apiKey() { return Optional.of("sk-test"); }
            public String model() { return "gpt-4o-mini-tts"; }
            public Duration connectTimeout() { return Duration.ofSeconds(2); }
            public Duration requestTimeout() { return requestTimeout; }
            public int maxRetries() { return retries; }
            public Duration backoff() { return Duration.ofMillis(50); }
            public Duration maxBackoff() { return Duration.ofSeconds(2); }
        });
    }

    private static OpenAiStub start() {
        try {
            return new OpenAiStub();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
