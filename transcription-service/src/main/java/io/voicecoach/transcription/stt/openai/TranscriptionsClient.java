package io.voicecoach.transcription.stt.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.vertx.core.buffer.Buffer;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.voicecoach.events.EventJson;
import io.voicecoach.platform.retry.RetryAfter;
import io.voicecoach.platform.retry.RetryAfterBackoff;
import io.voicecoach.transcription.openai.OpenAiHttp;
import io.voicecoach.transcription.stt.SttConfig;
import io.voicecoach.transcription.stt.SttException;
import jakarta.ws.rs.ProcessingException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.client.api.ClientMultipartForm;

import java.io.IOException;
import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST {base-url}/v1/audio/transcriptions} as multipart/form-data through the Quarkus REST Client, with
 * retries (SmallRye Fault Tolerance) and exponential back-off on 429, 5xx, time-outs and connection failures; a
 * server's {@code Retry-After} is honoured up to {@code max-backoff} ({@link RetryAfterBackoff}). The client is built
 * from {@code voicecoach.stt.openai.*} (base URL and per-attempt timeouts belong to the engine's settings), not from a
 * {@code quarkus.rest-client} key.
 */
public final class TranscriptionsClient {

    private static final Logger LOG = Logger.getLogger(TranscriptionsClient.class);

    /** The failures another attempt may cure. */
    private static final java.util.Set<String> RETRIED = java.util.Set.of("engine_overloaded", "engine_error",
            "engine_timeout", "engine_unreachable");

    private final TranscriptionsApi api;
    private final TypedGuard<String> retrying;
    private final SttConfig.OpenAi config;
    private final URI endpoint;

    public TranscriptionsClient(SttConfig.OpenAi config) {
        this.config = config;
        this.retrying = TypedGuard.create(String.class)
                .withRetry()
                .maxRetries(config.maxRetries())
                .delay(config.backoff().toMillis(), ChronoUnit.MILLIS)
                .jitter(0, ChronoUnit.MILLIS)
                .maxDuration(Long.MAX_VALUE / 2, ChronoUnit.MILLIS) // each attempt has request-timeout
                .whenException(failure -> failure instanceof SttException e && RETRIED.contains(e.code()))
                .withCustomBackoff().strategy(() -> new RetryAfterBackoff(config.maxBackoff(), false)).done()
                .done()
                .build();
        URI base = URI.create(config.baseUrl().replaceAll("/+$", ""));
        this.endpoint = URI.create(base + "/v1/audio/transcriptions");
        this.api = QuarkusRestClientBuilder.newBuilder().baseUri(base)
                .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .disableDefaultMapper(true)
                .build(TranscriptionsApi.class);
    }

    public String transcribe(byte[] wav, String language, List<String> phrases) throws InterruptedException {
        String authorization = config.apiKey().map(key -> "Bearer " + key).orElse(null);
        try {
            return retrying.call(() -> attempt(authorization, wav, language, phrases));
        } catch (SttException | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new SttException("engine_error", "transcription failed: " + e, e);
        }
    }

    /** One request; a 429, a 5xx, a time-out or a connection failure is worth another ({@link #RETRIED}). */
    private String attempt(String authorization, byte[] wav, String language, List<String> phrases) {
        try (var response = api.transcribe(authorization, form(wav, language, phrases))) {
            int status = response.getStatus();
            String body = response.hasEntity() ? response.readEntity(String.class) : "";
            if (status / 100 == 2) {
                return text(body);
            }
            throw error(status, body, RetryAfter.parse(response.getHeaderString("Retry-After")).orElse(null));
        } catch (ProcessingException e) {
            throw OpenAiHttp.isTimeout(e)
                    ? new SttException("engine_timeout", "no answer from " + endpoint + " within " + config.requestTimeout(), e)
                    : new SttException("engine_unreachable", "cannot reach " + endpoint + ": " + rootMessage(e), e);
        }
    }

    private ClientMultipartForm form(byte[] wav, String language, List<String> phrases) {
        var form = ClientMultipartForm.create()
                .attribute("model", config.model(), null)
                .attribute("response_format", "json", null);
        if (language != null) {
            form.attribute("language", language, null);
        }
        if (!phrases.isEmpty()) {
            form.attribute("prompt", String.join(", ", phrases), null);
        }
        return form.binaryFileUpload("file", "utterance.wav", Buffer.buffer(wav), "audio/wav");
    }

    private static String text(String body) {
        try {
            JsonNode json = EventJson.MAPPER.readTree(body);
            if (json == null || !json.path("text").isTextual()) {
                throw new SttException("engine_bad_response", "transcription response without text: " + abbreviate(body));
            }
            return json.get("text").asText().strip();
        } catch (IOException e) {
            throw new SttException("engine_bad_response", "transcription response is not JSON: " + abbreviate(body), e);
        }
    }

    private static SttException error(int status, String body, java.time.Duration retryAfter) {
        return new SttException(OpenAiHttp.code(status), "transcription server answered " + status + ": "
                + OpenAiHttp.detail(body), retryAfter);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.toString();
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }
}
