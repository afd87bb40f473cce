package io.voicecoach.gateway.tenant;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.voicecoach.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * Verifies presented API keys and client secrets: SHA-256, then a lookup of the hash. Answers (refusals too) are cached briefly so a
 * connection storm does not become a database storm; changes made through this class evict the local cache at once,
 * other instances see them after {@code voicecoach.gateway.api-key-cache-ttl}.
 */
@ApplicationScoped
public class ApiKeys {

    public static final int PREFIX_LENGTH = 8;
    public static final String API_KEY_PREFIX = "vc_";
    /** OpenAI's prefix for ephemeral keys. */
    public static final String CLIENT_SECRET_PREFIX = "ek_";
    private static final int MAX_KEY_LENGTH = 512;
    /** 40 base-62 characters: 238 bits. */
    private static final int SECRET_LENGTH = 40;
    /** Hashes per revocation recheck query. */
    static final int RECHECK_CHUNK = 1000;

    public record MintedSecret(String value, Instant expiresAt, CredentialBinding binding) {
    }

    private record Answer(Verification verification, long expiresAtNanos) {
    }

    private final TenantDirectory directory;
    private final long ttlNanos;
    private final int maxEntries;
    private final Map<String, Answer> cache = new ConcurrentHashMap<>();
    private final List<Runnable> evictionListeners = new CopyOnWriteArrayList<>();

    public ApiKeys(TenantDirectory directory, GatewayConfig config) {
        this.directory = directory;
        this.ttlNanos = config.apiKeyCacheTtl().toNanos();
        this.maxEntries = config.apiKeyCacheMaxEntries();
    }

    /** Blocking: what a presented API key or client secret stands for (refusals say why). */
    public Verification authenticate(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Verification.refused(Verification.MISSING);
        }
        if (!plausible(presented)) {
            return Verification.refused(Verification.INVALID);
        }
        String hash = hash(presented);
        var cached = fresh(hash);
        return cached != null ? cached : remember(hash, directory.check(hash));
    }

    /**
     * Non-blocking: answers from the cache on the caller's thread, else checks on a worker thread and answers on the
     * caller's Vert.x context (an HTTP request or upgrade goes on on its event loop).
     */
    public Uni<Verification> authenticateAsync(String presented) {
        if (presented == null || presented.isEmpty() || !plausible(presented)) {
            return Uni.createFrom().item(authenticate(presented));
        }
        var cached = fresh(hash(presented));
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return Uni.createFrom().item(() -> authenticate(presented))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .emitOn(onContextOf(Vertx.currentContext()));
    }

    private static Executor onContextOf(Context context) {
        return context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
    }

    /** Non-blocking: the tenant an API key (not a client secret) belongs to, empty for anything else. */
    public Uni<Optional<String>> verifyAsync(String presentedKey) {
        return authenticateAsync(presentedKey).map(ApiKeys::tenantOfApiKey);
    }

    private static Optional<String> tenantOfApiKey(Verification verification) {
        return verification.isAccepted() && verification.isApiKey() ? Optional.of(verification.tenantId())
                : Optional.empty();
    }

    /**
     * Blocking: mints a client secret for the tenant of an accepted API key, valid for {@code ttl}, bound to
     * {@code binding} (null: unbound).
     */
    public MintedSecret mintClientSecret(Verification apiKey, Duration ttl, CredentialBinding binding) {
        if (!apiKey.isAccepted() || !apiKey.isApiKey()) {
            throw new IllegalArgumentException("client secrets are minted with an accepted API key");
        }
        String value = CLIENT_SECRET_PREFIX + Secrets.random(SECRET_LENGTH);
        var expiresAt = Instant.now().plus(ttl).truncatedTo(ChronoUnit.SECONDS);
        directory.storeClientSecret(apiKey.tenantId(), apiKey.credentialId(), hash(value), expiresAt, binding);
        return new MintedSecret(value, expiresAt, binding);
    }

    /** A freshly generated API key (shown once; only its hash is kept). */
    public static String newApiKey() {
        return API_KEY_PREFIX + Secrets.random(SECRET_LENGTH);
    }

    /** Forgets every cached answer (after a revocation, which also ends the secrets the key minted). */
    public void evictAll() {
        cache.clear();
        evictionListeners.forEach(Runnable::run);
    }

    /** Runs {@code listener} after every {@link #evictAll()}: a credential or tenant changed through this instance. */
    public void onEvicted(Runnable listener) {
        evictionListeners.add(listener);
    }

    /**
     * Blocking: of these credential hashes, the ones revoked or of a suspended tenant now, past the cache (which takes
     * those refusals), in queries of at most {@value #RECHECK_CHUNK} hashes each.
     */
    public Map<String, String> closingRefusals(Collection<String> hashes) {
        var refusals = new HashMap<String, String>();
        var chunk = new ArrayList<String>(Math.min(hashes.size(), RECHECK_CHUNK));
        for (String hash : hashes) {
            chunk.add(hash);
            if (chunk.size() == RECHECK_CHUNK) {
                refusals.putAll(directory.closingRefusals(chunk));
                chunk.clear();
            }
        }
        if (!chunk.isEmpty()) {
            refusals.putAll(directory.closingRefusals(chunk));
        }
        refusals.forEach((hash, refusal) -> remember(hash, Verification.refused(refusal)));
        return refusals;
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

    /** Blocking: revokes a key, and with it the client secrets it minted; true if it was active. */
    public boolean revoke(String key) {
        boolean revoked = directory.revoke(hash(key));
        evictAll();
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

    private Verification fresh(String hash) {
        var answer = cache.get(hash);
        if (answer == null) {
            return null;
        }
        if (answer.expiresAtNanos() - System.nanoTime() < 0) {
            cache.remove(hash, answer);
            return null;
        }
        return answer.verification();
    }

    /** Caches an answer for the TTL, or until the credential expires if that is sooner. */
    private Verification remember(String hash, Verification verification) {
        if (cache.size() >= maxEntries) {
            long now = System.nanoTime();
            cache.values().removeIf(a -> a.expiresAtNanos() - now < 0);
            if (cache.size() >= maxEntries) {
                cache.clear();
            }
        }
        long ttl = ttlNanos;
        if (verification.expiresAt() != null) {
            ttl = Math.min(ttl, Math.max(0, Duration.between(Instant.now(), verification.expiresAt()).toNanos()));
        }
        cache.put(hash, new Answer(verification, System.nanoTime() + ttl));
        return verification;
    }
}
