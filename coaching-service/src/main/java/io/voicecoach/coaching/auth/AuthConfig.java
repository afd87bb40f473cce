package io.voicecoach.coaching.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "voicecoach.auth")
public interface AuthConfig {

    /** Base URL of the gateway that verifies tenant API keys ({@code POST /internal/v1/credentials/verify}). */
    @WithDefault("http://localhost:8080")
    String gatewayUrl();

    /** How long a verified key is trusted without asking the gateway again. */
    @WithDefault("30s")
    Duration cacheTtl();

    /** Upper bound on cached keys; beyond it expired entries are dropped, then the whole cache. */
    @WithDefault("10000")
    int cacheMaxEntries();
}
