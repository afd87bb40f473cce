package io.voicecoach.transcription.tts.openai;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.voicecoach.platform.retry.RetryAfter;
import io.voicecoach.platform.retry.RetryAfterBackoff;
import io.voicecoach.transcription.openai.OpenAiHttp;
import io.voicecoach.transcription.tts.SpeechEngine;
import io.voicecoach.transcription.tts.SpeechException;
import io.voicecoach.transcription.tts.TtsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;

import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Any server speaking OpenAI's {@code POST /v1/audio/speech} ({@code response_format: pcm}: 24 kHz PCM16 LE mono),
 * one request per piece of text, through the Quarkus REST Client with connect and per-attempt timeouts, retried with
 * SmallRye Fault Tolerance and exponential back-off on 429, 5xx, time-outs and connection failures (a server's
 * {@code Retry-After} honoured up to {@code max-backoff}). Each piece's audio is read whole before it is cut into
 * chunks, so audio streams piece by piece (sentence or clause), not byte by byte.
 */
@ApplicationScoped
public class OpenAiSpeechEngine implements SpeechEngine {

    public static final String NAME = "openai-compatible";
    static final int RATE = 24_000;

    /** The failures another attempt may cure. */
    private static final Set<String> RETRIED = Set.of(SpeechException.OVERLOADED, SpeechException.ERROR,
            SpeechException.TIMEOUT, SpeechException.UNREACHABLE);

    private final TtsConfig.OpenAi config;
    private final SpeechApi api;
    private final TypedGuard<byte[]> retrying;
    private final URI endpoint;

    @Inject
    public OpenAiSpeechEngine(TtsConfig config) {
        this(config.openai());
    }

    OpenAiSpeechEngine(TtsConfig.OpenAi openai) {
        this.config = openai;
        this.retrying = TypedGuard.create(byte[].class)
                .withRetry()
                .maxRetries(this.config.maxRetries())
                .delay(this.config.backoff().toMillis(), ChronoUnit.MILLIS)
                .jitter(0, ChronoUnit.MILLIS)
                .maxDuration(Long.MAX_VALUE / 2, ChronoUnit.MILLIS) // each attempt has request-timeout
                .whenException(failure -> failure instanceof SpeechException e && RETRIED.contains(e.code()))
                .withCustomBackoff().strategy(() -> new RetryAfterBackoff(this.config.maxBackoff(), false)).done()
                .done()
                .build();
        URI base = URI.create(this.config.baseUrl().replaceAll("/+$", ""));
        this.endpoint = URI.create(base + "/v1/audio/speech");
        this.api = QuarkusRestClientBuilder.newBuilder().baseUri(base)
                .connectTimeout(this.config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(this.config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .disableDefaultMapper(true)
                .build(SpeechApi.class);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Speech synthesize(String text, String voice, double speed) {
        String authorization = config.apiKey().map(key -> "Bearer " + key).orElse(null);
        var request = SpeechRequest.pcm(config.model(), text, voice == null ? "alloy" : voice, speed);
        try {
            return new Speech(retrying.call(() -> attempt(authorization, request)), RATE);
        } catch (SpeechException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpeechException(SpeechException.ERROR, "interrupted", e);
        } catch (Exception e) {
            throw new SpeechException(SpeechException.ERROR, "speech request failed: " + e, e);
        }
    }

    /** One request; a 429, a 5xx, a time-out or a connection failure is worth another ({@link #RETRIED}). */
    private byte[] attempt(String authorization, SpeechRequest request) {
        try (var response = api.speak(authorization, request)) {
            int status = response.getStatus();
            byte[] body = response.hasEntity() ? response.readEntity(byte[].class) : new byte[0];
            if (status / 100 != 2) {
                throw error(status, new String(body, java.nio.charset.StandardCharsets.UTF_8),
                        RetryAfter.parse(response.getHeaderString("Retry-After")).orElse(null));
            }
            if (body.length == 0) {
                throw new SpeechException(SpeechException.ERROR, endpoint + " answered no audio");
            }
            return (body.length & 1) == 0 ? body : java.util.Arrays.copyOf(body, body.length - 1);
        } catch (ProcessingException e) {
            throw OpenAiHttp.isTimeout(e)
                    ? new SpeechException(SpeechException.TIMEOUT, "no answer from " + endpoint + " within "
                    + config.requestTimeout(), e)
                    : new SpeechException(SpeechException.UNREACHABLE, "cannot reach " + endpoint + ": " + e, e);
        }
    }

    private static SpeechException error(int status, String body, Duration retryAfter) {
        return new SpeechException(OpenAiHttp.code(status), "speech server answered " + status + ": "
                + OpenAiHttp.detail(body), retryAfter);
    }
}
