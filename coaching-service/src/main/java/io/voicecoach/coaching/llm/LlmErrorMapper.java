package io.voicecoach.coaching.llm;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.core.Response;
import io.voicecoach.platform.retry.RetryAfter;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

import java.time.Duration;

/**
 * Turns an error status into an {@link LlmException} carrying OpenAI's error message
 * ({@code {"error": {"message", "type", "code"}}}) and {@code Retry-After}.
 */
public class LlmErrorMapper implements ResponseExceptionMapper<LlmException> {

    @Override
    public LlmException toThrowable(Response response) {
        int status = response.getStatus();
        var kind = status == 429 ? LlmException.Kind.RATE_LIMITED
                : status >= 500 ? LlmException.Kind.SERVER_ERROR : LlmException.Kind.CLIENT_ERROR;
        return new LlmException(kind, status, "HTTP " + status + ": " + message(response), retryAfter(response), null);
    }

    private static String message(Response response) {
        try {
            response.bufferEntity();
            String body = response.readEntity(String.class);
            var error = LlmJson.objectIn(body).map(json -> json.path("error"));
            if (error.isPresent() && error.get().isObject()) {
                JsonNode e = error.get();
                return e.path("message").asText("") + " (type " + e.path("type").asText("-") + ", code "
                        + e.path("code").asText("-") + ")";
            }
            return body == null ? "" : body.substring(0, Math.min(200, body.length()));
        } catch (RuntimeException unreadable) {
            return response.getStatusInfo().getReasonPhrase();
        }
    }

    private static Duration retryAfter(Response response) {
        return RetryAfter.parse(response.getHeaderString("Retry-After")).orElse(null);
    }
}
