package io.voicecoach.tools.webhook;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.networknt.schema.JsonSchema;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.voicecoach.events.EventJson;
import io.voicecoach.platform.retry.RetryAfter;
import io.voicecoach.platform.retry.RetryAfterBackoff;
import io.voicecoach.tools.ToolsConfig;
import io.voicecoach.tools.registry.Schemas;
import io.voicecoach.tools.registry.ToolErrors;
import io.voicecoach.tools.registry.ToolException;
import io.voicecoach.tools.registry.ToolInvocation;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

/**
 * Calls a webhook tool's endpoint: POSTs {@code {"tool", "call_id", "session_id", "arguments"}}, signed (see
 * {@link WebhookSignature}), with the tool's timeout per attempt. Idempotent tools are retried by a SmallRye Fault
 * Tolerance guard on 5xx, timeouts and connection errors, up to {@code webhook.max-attempts}, with exponential
 * back-off from {@code webhook.retry-backoff} (jittered) that honours the endpoint's {@code Retry-After}
 * ({@link RetryAfterBackoff}) and never waits past the call's deadline; other tools get one attempt. Every failure
 * is a {@link ToolException} the LLM can act on.
 * <p>
 * Each attempt's timeout covers the whole answer, body included ({@link WebhookHttp}); the caller runs it with no
 * database transaction open. Endpoints and timeouts differ per tenant tool and are only known at call time, and the
 * signature has to cover the exact bytes sent, so no typed REST client.
 */
@ApplicationScoped
public class WebhookCaller {

    private static final Logger LOG = Logger.getLogger(WebhookCaller.class);
    /** Longer than any deadline: the call's deadline, not this, bounds a wait ({@link Attempts#worthAnother}). */
    private static final Duration LONGEST_WAIT = Duration.ofHours(1);
    /** A result is one JSON value: {@code {"ok": true} <html>...} is not JSON (it was taken as {@code {"ok": true}}). */
    private static final ObjectReader ONE_JSON_VALUE = EventJson.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final ToolsConfig.Webhook config;
    private final EndpointPolicy policy;
    private final WebhookHttp http;
    private final TypedGuard<JsonNode> retrying;

    public WebhookCaller(ToolsConfig config, EndpointPolicy policy, WebhookHttp http) {
        this.config = config.webhook();
        this.policy = policy;
        this.http = http;
        this.retrying = TypedGuard.create(JsonNode.class)
                .withRetry()
                .maxRetries(Math.max(0, this.config.maxAttempts() - 1))
                .delay(this.config.retryBackoff().toMillis(), ChronoUnit.MILLIS)
                .jitter(0, ChronoUnit.MILLIS)
                .maxDuration(Long.MAX_VALUE / 2, ChronoUnit.MILLIS) // each call's deadline bounds its retries
                .whenException(failure -> failure instanceof AttemptFailed failed
                        && failed.attempts.worthAnother(failed))
                .withCustomBackoff().strategy(PlannedWait::new).done()
                .done()
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
            backoff += config.retryBackoff().toMillis() << (i - 1);
        }
        return Duration.ofMillis((long) tool.timeoutMs() * attempts + backoff + config.connectTimeout().toMillis());
    }

    /**
     * @param resultSchema the tool's compiled result schema, or null
     * @return the endpoint's JSON answer
     */
    public JsonNode call(WebhookToolSpec tool, JsonSchema resultSchema, ToolInvocation invocation) {
        var uri = URI.create(tool.url());
        var target = policy.target(uri);
        if (target.refusal() != null) {
            throw failed("the tool's endpoint is not allowed: " + target.refusal(), "endpoint_refused", null, 0);
        }
        byte[] body = body(invocation);
        Instant deadline = invocation.deadline() == null ? Instant.now().plus(worstCase(tool)) : invocation.deadline();
        var attempts = new Attempts(attempts(tool), deadline, config.retryBackoff(), tool, invocation);
        try {
            return retrying.call(() -> attempt(tool, resultSchema, invocation, uri, target.address(), body, attempts));
        } catch (AttemptFailed e) {
            if (attempts.outOfTime) {
                throw failed("the tool's endpoint " + e.problem + "; no time left to retry", "timeout", null,
                        attempts.made);
            }
            throw failed("the tool's endpoint " + e.problem + " (attempt " + attempts.made + " of " + attempts.max
                    + ")", e.reason, e.status, attempts.made);
        } catch (ToolException e) {
            throw e;
        } catch (Exception e) {
            throw failed("the call failed: " + e, "connection", null, attempts.made);
        }
    }

    /** One request; a failure another attempt may cure is an {@link AttemptFailed}. */
    private JsonNode attempt(WebhookToolSpec tool, JsonSchema resultSchema, ToolInvocation invocation, URI uri,
                             InetAddress address, byte[] body, Attempts attempts) {
        long remaining = Duration.between(Instant.now(), attempts.deadline).toMillis();
        if (remaining <= 0) {
            throw failed("the tool's endpoint " + (attempts.lastProblem == null ? "was not called"
                    : attempts.lastProblem) + "; the call's deadline passed", "timeout", null, attempts.max);
        }
        attempts.made++;
        var timeout = Duration.ofMillis(Math.min(tool.timeoutMs(), remaining));
        try {
            var response = http.post(uri, address, headers(tool, invocation, body), body, timeout);
            int status = response.status();
            if (status >= 200 && status < 300) {
                return result(tool, resultSchema, response, attempts.made);
            }
            throw new AttemptFailed(attempts, "answered HTTP " + status, "status", status, status >= 500,
                    RetryAfter.parse(response.retryAfter().orElse(null)));
        } catch (HttpTimeoutException e) {
            throw new AttemptFailed(attempts, "did not answer within " + timeout.toMillis() + " ms", "timeout", null,
                    true, Optional.empty());
        } catch (IOException e) {
            throw new AttemptFailed(attempts, "could not be reached (" + e.getClass().getSimpleName() + ")",
                    "connection", null, true, Optional.empty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed("the call was interrupted", "interrupted", null, attempts.made);
        }
    }

    /**
     * One call's attempts. The wait before the next one is worked out when a failure is judged worth another
     * attempt ({@link RetryAfterBackoff}: doubling, jittered, at least the endpoint's {@code Retry-After}), so that a
     * wait that would end past the call's deadline is not begun.
     */
    private static final class Attempts {
        final int max;
        final Instant deadline;
        private final RetryAfterBackoff backoff = new RetryAfterBackoff(LONGEST_WAIT, true);
        private final WebhookToolSpec tool;
        private final ToolInvocation invocation;
        int made;
        String lastProblem;
        boolean outOfTime;
        long nextWait;

        Attempts(int max, Instant deadline, Duration firstWait, WebhookToolSpec tool, ToolInvocation invocation) {
            this.max = max;
            this.deadline = deadline;
            this.tool = tool;
            this.invocation = invocation;
            backoff.init(firstWait.toMillis());
        }

        boolean worthAnother(AttemptFailed failed) {
            lastProblem = failed.problem;
            LOG.warnf("webhook tool %s of tenant %s, call %s: attempt %d of %d %s", tool.name(), tool.tenantId(),
                    invocation.callId(), made, max, failed.problem);
            if (!failed.retriable || made >= max) {
                return false;
            }
            nextWait = backoff.nextDelayInMillis(failed);
            outOfTime = Instant.now().plusMillis(nextWait).isAfter(deadline);
            return !outOfTime;
        }
    }

    /** The retry guard's back-off: the wait its call's {@link Attempts} planned. */
    private static final class PlannedWait implements CustomBackoffStrategy {
        @Override
        public void init(long initialDelayInMillis) {
        }

        @Override
        public long nextDelayInMillis(Throwable failure) {
            return ((AttemptFailed) failure).attempts.nextWait;
        }
    }

    /** An attempt that did not get a usable answer; {@code retriable}: 5xx, a timeout or no connection. */
    private static final class AttemptFailed extends RuntimeException implements RetryAfter {
        final Attempts attempts;
        final String problem;
        final String reason;
        final Integer status;
        final boolean retriable;
        private final Optional<Duration> retryAfter;

        AttemptFailed(Attempts attempts, String problem, String reason, Integer status, boolean retriable,
                      Optional<Duration> retryAfter) {
            super(problem, null, false, false);
            this.attempts = attempts;
            this.problem = problem;
            this.reason = reason;
            this.status = status;
            this.retriable = retriable;
            this.retryAfter = retryAfter;
        }

        @Override
        public Optional<Duration> retryAfter() {
            return retryAfter;
        }
    }

    private byte[] body(ToolInvocation invocation) {
        var json = EventJson.MAPPER.createObjectNode();
        json.put("tool", invocation.tool());
        json.put("call_id", invocation.callId());
        json.put("session_id", invocation.sessionId());
        json.set("arguments", invocation.arguments());
        return json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static Map<String, String> headers(WebhookToolSpec tool, ToolInvocation invocation, byte[] body) {
        long timestamp = Instant.now().getEpochSecond();
        return Map.of("Content-Type", "application/json",
                "Accept", "application/json",
                "User-Agent", "VoiceCoach-Webhook/1",
                WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp),
                WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(tool.signingSecret(), timestamp, body),
                WebhookSignature.CALL_ID_HEADER, invocation.callId());
    }

    private JsonNode result(WebhookToolSpec tool, JsonSchema resultSchema, WebhookHttp.Response response, int attempt) {
        if (response.tooLarge()) {
            throw invalidResult("the tool's endpoint answered more than " + config.maxResponseBytes() + " bytes", null);
        }
        byte[] bytes = response.body();
        JsonNode result;
        try {
            result = ONE_JSON_VALUE.readTree(bytes);
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
