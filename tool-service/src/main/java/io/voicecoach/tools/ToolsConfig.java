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
