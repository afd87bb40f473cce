package io.voicecoach.coaching.auth;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves an {@code Authorization} header to its tenant through the gateway, remembering verified keys for
 * {@code voicecoach.auth.cache-ttl}. The cache holds SHA-256 digests of the header, never the keys. Refused keys
 * are not cached, so a key the gateway starts accepting works at once.
 */
@ApplicationScoped
public class ApiKeyVerifier {

    private record Verified(String tenantId, long expiresAtNanos) {
    }

    private final GatewayCredentials gateway;
    private final AuthConfig config;
    private final Map<String, Verified> cache = new ConcurrentHashMap<>();

    public ApiKeyVerifier(GatewayCredentials gateway, AuthConfig config) {
        this.gateway = gateway;
        this.config = config;
    }

    /** @throws GatewayUnavailableException when the key is not cached and the gateway cannot say */
    public Optional<String> tenantFor(String authorization) {
        String digest = sha256(authorization);
        long now = System.nanoTime();
        var cached = cache.get(digest);
        if (cached != null && cached.expiresAtNanos() - now > 0) {
            return Optional.of(cached.tenantId());
        }
        Optional<String> tenant;
        try {
            tenant = gateway.tenantOf(authorization);
        } catch (TimeoutException e) {
            throw new GatewayUnavailableException("gateway did not answer in time", e);
        }
        tenant.ifPresentOrElse(t -> remember(digest, t, now), () -> cache.remove(digest));
        return tenant;
    }

    private void remember(String digest, String tenantId, long now) {
        if (cache.size() >= config.cacheMaxEntries()) {
            cache.values().removeIf(v -> v.expiresAtNanos() - now <= 0);
            if (cache.size() >= config.cacheMaxEntries()) {
                cache.clear();
            }
        }
        cache.put(digest, new Verified(tenantId, now + config.cacheTtl().toNanos()));
    }

    private static String sha256(String value) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
