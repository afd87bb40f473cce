package io.voicecoach.tools;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

@ConfigMapping(prefix = "voicecoach.tools")
public interface ToolsConfig {

    /** Tenant that gets the demo dealership (battle cards, calendar, customers) at start when it has none. */
    Optional<String> seedTenant();

    /** Tenant that gets the demo SaaS company (battle cards, contacts, leads) at start when it has none. */
    Optional<String> saasSeedTenant();

    /** ISO 3166 region assumed for phone numbers written without a country code. */
    @WithDefault("US")
    String defaultPhoneRegion();

    /** Base of the links {@code create_meeting_link} hands out; a random room token is appended. */
    @WithDefault("https://meet.voicecoach.example/")
    String meetingBaseUrl();

    Timeouts timeout();

    RateLimit rateLimit();

    Webhook webhook();

    Knowledge knowledge();

    /**
     * Where {@code search_knowledge} searches: coaching-service's internal knowledge-base endpoint (the REST client
     * {@code quarkus.rest-client.coaching-knowledge.*} takes its URL from here; its time-outs are its own).
     */
    interface Knowledge {
        /** Base URL of coaching-service ({@code GET {base-url}/internal/v1/tenants/{tenantId}/kb/search?q=&k=}). */
        @WithDefault("http://localhost:8082")
        String baseUrl();
    }

    interface Webhook {
        /** Allows {@code http://} endpoints on loopback hosts (localhost, 127.0.0.0/8, ::1); for development and tests. */
        @WithDefault("false")
        boolean allowLoopbackHttp();

        /** Allows endpoints that resolve to private, link-local or loopback addresses (off: no calls into the cluster). */
        @WithDefault("false")
        boolean allowPrivateAddresses();

        /** Per-attempt timeout of a tool registered without {@code timeoutMs}. */
        @WithDefault("5s")
        Duration defaultTimeout();

        /** Attempts for an idempotent tool (on 5xx, timeout or connection errors); other tools get one. */
        @WithDefault("3")
        int maxAttempts();

        /** Wait before the first retry; doubled for each further one, with up to 20% jitter. */
        @WithDefault("200ms")
        Duration retryBackoff();

        /** TCP/TLS connect timeout of the HTTP client. */
        @WithDefault("2s")
        Duration connectTimeout();

        /** Largest response body accepted; a longer one is an {@code invalid_result}. */
        @WithDefault("65536")
        int maxResponseBytes();

        /**
         * Webhook calls of one tenant running at once on an instance (its share of the
         * {@code smallrye.messaging.worker.tool-calls.max-concurrency} workers); more are answered {@code tool_busy}.
         */
        @WithDefault("4")
        int tenantConcurrency();

        /** Replay window receivers should enforce on {@code X-VoiceCoach-Timestamp}; documented, sent nowhere. */
        @WithDefault("300s")
        Duration replayWindow();
    }

    interface Timeouts {
        /** Longest a tool may run, whatever the caller's {@code timeoutMs}. */
        @WithDefault("5s")
        Duration defaultLimit();

        /** Per-tool overrides of {@link #defaultLimit()}, by tool name. */
        Map<String, Duration> tools();

        /** Added to the caller's {@code timeoutMs} before a call counts as expired (clock skew, Kafka hops). */
        @WithDefault("200ms")
        Duration grace();
    }

    interface RateLimit {
        /** Tokens a tenant's bucket gains per second. */
        @WithDefault("50")
        double callsPerSecond();

        /** Bucket size: calls a tenant may make at once. */
        @WithDefault("100")
        int burst();

        /** Per-tenant overrides, by tenant id. */
        Map<String, TenantLimit> tenants();
    }

    interface TenantLimit {
        double callsPerSecond();

        int burst();
    }
}
