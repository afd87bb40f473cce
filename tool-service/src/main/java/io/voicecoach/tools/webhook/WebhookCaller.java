package io.voicecoach.tools.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import io.voicecoach.events.EventJson;
import io.voicecoach.tools.ToolsConfig;
import io.voicecoach.tools.registry.Schemas;
import io.voicecoach.tools.registry.ToolErrors;
import io.voicecoach.tools.registry.ToolException;
import io.voicecoach.tools.registry.ToolInvocation;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Calls a webhook tool's endpoint: POSTs {@code {"tool", "call_id", "session_id", "arguments"}}, signed (see
 * {@link WebhookSignature}), with the tool's timeout per attempt. Idempotent tools are retried with exponential
 * back-off on 5xx, timeouts and connection errors, up to {@code webhook.max-attempts} and never past the call's
 * deadline; other tools get one attempt. Every failure is a {@link ToolException} the LLM can act on.
 * <p>
 * JDK {@link HttpClient}: endpoints and timeouts differ per tenant tool and are only known at call time, and the
 * signature has to cover the exact bytes sent; the typed REST client is built per base URL and serialises itself.
 */
@ApplicationScoped
public class WebhookCaller {

    private static final Logger LOG = Logger.getLogger(WebhookCaller.class);

    private final ToolsConfig.Webhook config;
    private final EndpointPolicy policy;
    private final HttpClient http;

    public WebhookCaller(ToolsConfig config, EndpointPolicy policy) {
        this.config = config.webhook();
        this.policy = policy;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(this.config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Attempts a call of this tool may make. */
    public int attempts(WebhookToolSpec tool) {
        return tool.idempotent() ? Math.max(1, config.maxAttempts()) : 1;
    }

    /** The longest a call of this tool can take: every attempt timing out, plus the back-offs between them. */
    public Duration worstCase(WebhookToolSpec tool) {
        int attempts = attempts(tool);
        long backoff = 0;
        for (int i = 1; i < attempts; i++) {
            backoff += (long) (config.retryBackoff().toMillis() * Math.pow(2, i - 1) * 1.2);
        }
        return Duration.ofMillis((long) tool.timeoutMs() * attempts + backoff + config.connectTimeout().toMillis());
    }

    /**
     * @param resultSchema the tool's compiled result schema, or null
     * @return the endpoint's JSON answer
     */
    public JsonNode call(WebhookToolSpec tool, JsonSchema resultSchema, ToolInvocation invocation) {
        var uri = URI.create(tool.url());
        policy.refusalAtCallTime(uri).ifPresent(reason -> {
            throw failed("the tool's endpoint is not allowed: " + reason, "endpoint_refused", null, 0);
        });
        byte[] body = body(invocation);
        Instant deadline = invocation.deadline() == null ? Instant.now().plus(worstCase(tool)) : invocation.deadline();
        int maxAttempts = attempts(tool);
        String lastProblem = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            long remaining = Duration.between(Instant.now(), deadline).toMillis();
            if (remaining <= 0) {
                break;
            }
            var timeout = Duration.ofMillis(Math.min(tool.timeoutMs(), remaining));
            try {
                var response = http.send(request(tool, invocation, uri, body, timeout),
                        HttpResponse.BodyHandlers.ofInputStream());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return result(tool, resultSchema, response.body(), attempt);
                }
                response.body().close();
                lastProblem = "answered HTTP " + status;
                if (status < 500 || attempt == maxAttempts) {
                    throw failed("the tool's endpoint " + lastProblem + " (attempt " + attempt + " of " + maxAttempts
                            + ")", "status", status, attempt);
                }
            } catch (HttpTimeoutException e) {
                lastProblem = "did not answer within " + timeout.toMillis() + " ms";
            } catch (IOException e) {
                lastProblem = "could not be reached (" + e.getClass().getSimpleName() + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failed("the call was interrupted", "interrupted", null, attempt);
            }
            LOG.warnf("webhook tool %s of tenant %s, call %s: attempt %d of %d %s", tool.name(), tool.tenantId(),
                    invocation.callId(), attempt, maxAttempts, lastProblem);
            if (attempt < maxAttempts && !backOff(attempt, deadline)) {
                throw failed("the tool's endpoint " + lastProblem + "; no time left to retry", "timeout", null, attempt);
            }
            if (attempt == maxAttempts) {
                throw failed("the tool's endpoint " + lastProblem + " (attempt " + attempt + " of " + maxAttempts
                        + ")", lastProblem.startsWith("did not") ? "timeout" : "connection", null, attempt);
            }
        }
        throw failed("the tool's endpoint " + (lastProblem == null ? "was not called" : lastProblem)
                + "; the call's deadline passed", "timeout", null, maxAttempts);
    }

    private byte[] body(ToolInvocation invocation) {
        var json = EventJson.MAPPER.createObjectNode();
        json.put("tool", invocation.tool());
        json.put("call_id", invocation.callId());
        json.put("session_id", invocation.sessionId());
        json.set("arguments", invocation.arguments());
        return json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static HttpRequest request(WebhookToolSpec tool, ToolInvocation invocation, URI uri, byte[] body,
                                       Duration timeout) {
        long timestamp = Instant.now().getEpochSecond();
        return HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("User-Agent", "VoiceCoach-Webhook/1")
                .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(tool.signingSecret(), timestamp, body))
                .header(WebhookSignature.CALL_ID_HEADER, invocation.callId())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    private JsonNode result(WebhookToolSpec tool, JsonSchema resultSchema, InputStream in, int attempt)
            throws IOException {
        byte[] bytes;
        try (in) {
            bytes = in.readNBytes(config.maxResponseBytes() + 1);
        }
        if (bytes.length > config.maxResponseBytes()) {
            throw invalidResult("the tool's endpoint answered more than " + config.maxResponseBytes() + " bytes", null);
        }
        JsonNode result;
        try {
            result = EventJson.MAPPER.readTree(bytes);
        } catch (IOException e) {
            result = null;
        }
        if (result == null || result.isMissingNode()) {
            throw invalidResult("the tool's endpoint did not answer JSON", null);
        }
        if (resultSchema != null) {
            var violations = Schemas.violations(resultSchema, result);
            if (!violations.isEmpty()) {
                var details = EventJson.MAPPER.createObjectNode();
                var list = details.putArray("violations");
                violations.forEach(v -> list.addObject().put("path", v.getInstanceLocation().toString())
                        .put("keyword", v.getType()).put("message", v.getMessage()));
                LOG.warnf("webhook tool %s of tenant %s answered %d violation(s) of its result schema", tool.name(),
                        tool.tenantId(), violations.size());
                throw invalidResult("the tool's endpoint answered a result that breaks the tool's result schema: "
                        + String.join("; ", violations.stream().map(v -> v.getMessage()).toList()), details);
            }
        }
        LOG.debugf("webhook tool %s of tenant %s answered on attempt %d", tool.name(), tool.tenantId(), attempt);
        return result;
    }

    /** Sleeps before the next attempt; false if that would pass the deadline. */
    private boolean backOff(int attempt, Instant deadline) {
        long base = (long) (config.retryBackoff().toMillis() * Math.pow(2, attempt - 1));
        long wait = base + ThreadLocalRandom.current().nextLong(base / 5 + 1);
        if (Instant.now().plusMillis(wait).isAfter(deadline)) {
            return false;
        }
        try {
            Thread.sleep(wait);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static ToolException failed(String message, String reason, Integer status, int attempts) {
        var details = EventJson.MAPPER.createObjectNode().put("reason", reason).put("attempts", attempts);
        if (status != null) {
            details.put("status", status);
        }
        return new ToolException(ToolErrors.WEBHOOK_FAILED, message, details);
    }

    private static ToolException invalidResult(String message, JsonNode details) {
        return new ToolException(ToolErrors.INVALID_RESULT, message, details);
    }
}
