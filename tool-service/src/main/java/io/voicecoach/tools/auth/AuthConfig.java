package io.voicecoach.tools.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "voicecoach.auth")
public interface AuthConfig {

    /** Base URL of the gateway that verifies tenant API keys. */
    @WithDefault("http://localhost:8080")
    String gatewayUrl();

    /** How long a verified key is trusted without asking the gateway again. */
    @WithDefault("30s")
    Duration cacheTtl();

    /** Upper bound on cached keys; beyond it expired entries are dropped, then the whole cache. */
    @WithDefault("10000")
    int cacheMaxEntries();

    /** The service credential sent to other services' {@code /internal/v1/*} (coaching's knowledge-base search). */
    Optional<String> serviceToken();
}
