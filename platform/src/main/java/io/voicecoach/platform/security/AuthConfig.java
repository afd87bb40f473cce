package io.voicecoach.platform.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code voicecoach.auth.*}: how callers are authenticated (platform/README.md). */
@ConfigMapping(prefix = "voicecoach.auth")
public interface AuthConfig {

    /** Base URL of the gateway whose {@code POST /internal/v1/credentials/verify} verifies tenant API keys. */
    @WithDefault("http://localhost:8080")
    String gatewayUrl();

    /**
     * How long a verified tenant key is trusted without asking the gateway again: a revoked key is refused on every
     * instance at most this long after the gateway refuses it. Refusals are not cached.
     */
    @WithDefault("5s")
    Duration cacheTtl();

    /** Upper bound on cached verified keys (least recently used go first). */
    @WithDefault("10000")
    int cacheMaxEntries();

    /**
     * The service credential: sent by this service's internal REST clients in {@value ServiceCredentials#HEADER} and
     * accepted from other services on {@code /internal/v1/*}. Unset: internal endpoints refuse every call.
     */
    Optional<String> serviceToken();

    /** Further service credentials accepted (never sent), for rotation: the next one before it is sent, the last after. */
    Optional<List<String>> acceptedServiceTokens();

    /** Operator token ({@code Authorization: Bearer}), plain or {@code sha256:<hex>}; unset: no operator. */
    Optional<String> operatorToken();
}
