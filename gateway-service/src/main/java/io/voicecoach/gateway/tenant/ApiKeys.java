package io.voicecoach.gateway.tenant;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.voicecoach.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies presented API keys: SHA-256, then a lookup of the hash. Answers (refusals too) are cached briefly so a
 * connection storm does not become a database storm; changes made through this class evict the local cache at once,
 * other instances see them after {@code voicecoach.gateway.api-key-cache-ttl}.
 */
@ApplicationScoped
public class ApiKeys {

    public static final int PREFIX_LENGTH = 8;
    private static final int MAX_KEY_LENGTH = 512;

    private record Answer(Optional<String> tenantId, long expiresAtNanos) {
    }

    private final TenantDirectory directory;
    private final long ttlNanos;
    private final int maxEntries;
    private final Map<String, Answer> cache = new ConcurrentHashMap<>();

    public ApiKeys(TenantDirectory directory, GatewayConfig config) {
        this.directory = directory;
        this.ttlNanos = config.apiKeyCacheTtl().toNanos();
        this.maxEntries = config.apiKeyCacheMaxEntries();
    }

    /** Blocking: the tenant id the key belongs to, empty for a missing, unknown or revoked key. */
    public Optional<String> verify(String presentedKey) {
        if (!plausible(presentedKey)) {
            return Optional.empty();
        }
        String hash = hash(presentedKey);
        var cached = fresh(hash);
        return cached != null ? cached : remember(hash, directory.activeTenantOf(hash));
    }

    /** Non-blocking: answers from the cache on the caller's thread, else looks up on a worker thread. */
    public Uni<Optional<String>> verifyAsync(String presentedKey) {
        if (!plausible(presentedKey)) {
            return Uni.createFrom().item(Optional.empty());
        }
        var cached = fresh(hash(presentedKey));
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return Uni.createFrom().item(() -> verify(presentedKey))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Blocking: registers a key for an existing tenant (idempotent); returns the key's id. */
    public String register(String tenantId, String key) {
        if (!plausible(key)) {
            throw new IllegalArgumentException("an API key needs " + PREFIX_LENGTH + " to " + MAX_KEY_LENGTH + " characters");
        }
        String hash = hash(key);
        var stored = directory.ensureKey(tenantId, hash, key.substring(0, PREFIX_LENGTH));
        cache.remove(hash);
        return stored.id;
    }

    /** Blocking: revokes a key; true if it was active. */
    public boolean revoke(String key) {
        String hash = hash(key);
        boolean revoked = directory.revoke(hash);
        cache.remove(hash);
        return revoked;
    }

    public static String hash(String key) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static boolean plausible(String key) {
        return key != null && key.length() >= PREFIX_LENGTH && key.length() <= MAX_KEY_LENGTH;
    }

    private Optional<String> fresh(String hash) {
        var answer = cache.get(hash);
        if (answer == null) {
            return null;
        }
        if (answer.expiresAtNanos() - System.nanoTime() < 0) {
            cache.remove(hash, answer);
            return null;
        }
        return answer.tenantId();
    }

    private Optional<String> remember(String hash, Optional<String> tenantId) {
        if (cache.size() >= maxEntries) {
            long now = System.nanoTime();
            cache.values().removeIf(a -> a.expiresAtNanos() - now < 0);
            if (cache.size() >= maxEntries) {
                cache.clear();
            }
        }
        cache.put(hash, new Answer(tenantId, System.nanoTime() + ttlNanos));
        return tenantId;
    }
}
