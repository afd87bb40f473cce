package io.voicecoach.transcription.stt.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.vertx.core.buffer.Buffer;
import io.voicecoach.events.EventJson;
import io.voicecoach.transcription.stt.SttConfig;
import io.voicecoach.transcription.stt.SttException;
import jakarta.ws.rs.ProcessingException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.client.api.ClientMultipartForm;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST {base-url}/v1/audio/transcriptions} as multipart/form-data through the Quarkus REST Client, with
 * retries and exponential back-off on 429, 5xx, time-outs and connection failures. A server's {@code Retry-After}
 * is honoured up to {@code max-backoff}; MicroProfile's {@code @Retry} cannot read it, hence the loop here.
 */
public final class TranscriptionsClient {

    private static final Logger LOG = Logger.getLogger(TranscriptionsClient.class);

    private final TranscriptionsApi api;
    private final SttConfig.OpenAi config;
    private final URI endpoint;

    public TranscriptionsClient(SttConfig.OpenAi config) {
        this.config = config;
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
        for (int attempt = 0; ; attempt++) {
            SttException failure;
            Duration retryAfter = Duration.ZERO;
            try (var response = api.transcribe(authorization, form(wav, language, phrases))) {
                int status = response.getStatus();
                String body = response.hasEntity() ? response.readEntity(String.class) : "";
                if (status / 100 == 2) {
                    return text(body);
                }
                failure = error(status, body);
                if (status != 429 && status < 500) {
                    throw failure;
                }
                String header = response.getHeaderString("Retry-After");
                retryAfter = header == null ? Duration.ZERO : seconds(header);
            } catch (ProcessingException e) {
                failure = isTimeout(e)
                        ? new SttException("engine_timeout", "no answer from " + endpoint + " within " + config.requestTimeout(), e)
                        : new SttException("engine_unreachable", "cannot reach " + endpoint + ": " + rootMessage(e), e);
            }
            if (attempt >= config.maxRetries()) {
                throw failure;
            }
            Duration backoff = config.backoff().multipliedBy(1L << Math.min(attempt, 16));
            Duration wait = min(max(backoff, retryAfter), config.maxBackoff());
            LOG.debugf("transcription attempt %d failed (%s); retrying in %s", attempt + 1, failure.getMessage(), wait);
            Thread.sleep(wait);
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

    /** OpenAI error bodies: {@code {"error": {"message", "type", "code"}}}. */
    private static SttException error(int status, String body) {
        String detail = abbreviate(body);
        try {
            JsonNode error = EventJson.MAPPER.readTree(body).path("error");
            if (error.isObject()) {
                detail = error.path("message").asText("") + " (type " + error.path("type").asText("-")
                        + ", code " + error.path("code").asText("-") + ")";
            }
        } catch (IOException | RuntimeException notJson) {
            // keep the raw body
        }
        String code = status == 429 ? "engine_overloaded"
                : status == 401 || status == 403 ? "engine_unauthorized"
                : status >= 500 ? "engine_error" : "engine_rejected";
        return new SttException(code, "transcription server answered " + status + ": " + detail);
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().toLowerCase(Locale.ROOT).contains("timeout")) {
                return true;
            }
            if (t instanceof ConnectException) {
                return false;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.toString();
    }

    private static Duration seconds(String retryAfter) {
        try {
            return Duration.ofMillis(Math.round(Double.parseDouble(retryAfter.trim()) * 1000));
        } catch (NumberFormatException httpDate) {
            return Duration.ZERO;
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }
}
