package io.voicecoach.transcription.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.config.WithDefault;
import io.voicecoach.events.EventJson;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** What the clients of OpenAI's audio endpoints (speech to text, text to speech) share: settings, error reading. */
public final class OpenAiHttp {

    private OpenAiHttp() {
    }

    /** The connection settings of an OpenAI-compatible server ({@code voicecoach.stt.openai.*}, {@code voicecoach.tts.openai.*}). */
    public interface Settings {
        /** Server root. */
        @WithDefault("https://api.openai.com")
        String baseUrl();

        Optional<String> apiKey();

        @WithDefault("PT2S")
        Duration connectTimeout();

        /** Per attempt. */
        @WithDefault("PT10S")
        Duration requestTimeout();

        /** Attempts after the first on 429, 5xx, time-outs and connection failures. */
        @WithDefault("2")
        int maxRetries();

        /** First back-off; doubles per attempt, a server's Retry-After wins when it is longer. */
        @WithDefault("PT0.2S")
        Duration backoff();

        /** Upper bound of any back-off (also caps Retry-After). */
        @WithDefault("PT5S")
        Duration maxBackoff();
    }

    /** The failure code of an HTTP status that is not a success. */
    public static String code(int status) {
        return status == 429 ? "engine_overloaded"
                : status == 401 || status == 403 ? "engine_unauthorized"
                : status >= 500 ? "engine_error" : "engine_rejected";
    }

    /** OpenAI error bodies: {@code {"error": {"message", "type", "code"}}}; another body as it is (cut at 300). */
    public static String detail(String body) {
        String detail = body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "..." : body;
        try {
            JsonNode error = EventJson.MAPPER.readTree(body).path("error");
            if (error.isObject()) {
                detail = error.path("message").asText("") + " (type " + error.path("type").asText("-")
                        + ", code " + error.path("code").asText("-") + ")";
            }
        } catch (IOException | RuntimeException notJson) {
            // keep the raw body
        }
        return detail;
    }

    /** True when the client gave up waiting (a connection that was refused is no time-out). */
    public static boolean isTimeout(Throwable e) {
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
}
