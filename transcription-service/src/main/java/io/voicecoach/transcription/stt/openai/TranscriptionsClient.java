package io.voicecoach.transcription.stt.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.events.EventJson;
import io.voicecoach.transcription.stt.SttConfig;
import io.voicecoach.transcription.stt.SttException;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST {base-url}/v1/audio/transcriptions} as multipart/form-data, with retries and back-off on 429, 5xx,
 * time-outs and connection failures. A server's {@code Retry-After} is honoured up to {@code max-backoff}, which
 * is why this uses the JDK client rather than a declarative REST client with {@code @Retry}.
 */
final class TranscriptionsClient {

    private static final Logger LOG = Logger.getLogger(TranscriptionsClient.class);

    private final HttpClient http;
    private final SttConfig.OpenAi config;
    private final URI endpoint;

    TranscriptionsClient(HttpClient http, SttConfig.OpenAi config) {
        this.http = http;
        this.config = config;
        this.endpoint = URI.create(config.baseUrl().replaceAll("/+$", "") + "/v1/audio/transcriptions");
    }

    String transcribe(byte[] wav, String language, List<String> phrases) throws InterruptedException {
        String boundary = "voicecoach-" + UUID.randomUUID();
        byte[] body = multipart(boundary, wav, language, phrases);
        for (int attempt = 0; ; attempt++) {
            var request = HttpRequest.newBuilder(endpoint).timeout(config.requestTimeout())
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            config.apiKey().ifPresent(key -> request.header("Authorization", "Bearer " + key));
            SttException failure;
            Duration retryAfter = Duration.ZERO;
            try {
                var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if (status / 100 == 2) {
                    return text(response.body());
                }
                failure = error(status, response.body());
                if (status != 429 && status < 500) {
                    throw failure;
                }
                retryAfter = response.headers().firstValue("retry-after").map(TranscriptionsClient::seconds).orElse(Duration.ZERO);
            } catch (HttpTimeoutException e) {
                failure = new SttException("engine_timeout", "no answer from " + endpoint + " within " + config.requestTimeout(), e);
            } catch (IOException e) {
                failure = new SttException("engine_unreachable", "cannot reach " + endpoint + ": " + e, e);
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

    private byte[] multipart(String boundary, byte[] wav, String language, List<String> phrases) {
        var out = new ByteArrayOutputStream(wav.length + 1024);
        field(out, boundary, "model", config.model());
        field(out, boundary, "response_format", "json");
        if (language != null) {
            field(out, boundary, "language", language);
        }
        if (!phrases.isEmpty()) {
            field(out, boundary, "prompt", String.join(", ", phrases));
        }
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"utterance.wav\"\r\n"
                + "Content-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(wav);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, String boundary, String name, String value) {
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n"
                + value + "\r\n").getBytes(StandardCharsets.UTF_8));
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
