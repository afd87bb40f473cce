package io.voicecoach.platform.security;

import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The service credential and operator token of {@link AuthConfig}, kept as SHA-256 digests and compared in constant
 * time. Only digests are kept for the accepted ones; the plain service token is kept to be sent.
 */
@Singleton
public class ServiceCredentials {

    /** The header a service presents its credential in (a tenant's key stays in {@code Authorization}). */
    public static final String HEADER = "X-VoiceCoach-Service-Token";
    private static final String HASHED = "sha256:";

    private final Optional<String> outgoing;
    private final List<byte[]> accepted = new ArrayList<>();
    private final Optional<byte[]> operator;

    public ServiceCredentials(AuthConfig config) {
        this.outgoing = config.serviceToken().filter(token -> !token.isBlank());
        outgoing.ifPresent(token -> accepted.add(sha256(token)));
        config.acceptedServiceTokens().orElse(List.of()).stream().filter(token -> !token.isBlank())
                .forEach(token -> accepted.add(digestOf(token)));
        this.operator = config.operatorToken().filter(token -> !token.isBlank()).map(ServiceCredentials::digestOf);
    }

    /** The credential this service sends on internal calls, if it has one. */
    public Optional<String> outgoing() {
        return outgoing;
    }

    public boolean acceptsService(String presented) {
        byte[] digest = sha256(presented);
        boolean match = false;
        for (byte[] candidate : accepted) {
            match |= MessageDigest.isEqual(candidate, digest);
        }
        return match;
    }

    public boolean isOperator(String presented) {
        return operator.map(expected -> MessageDigest.isEqual(expected, sha256(presented))).orElse(false);
    }

    /** A configured credential: {@code sha256:<hex>} as given, anything else hashed. */
    private static byte[] digestOf(String configured) {
        return configured.startsWith(HASHED)
                ? HexFormat.of().parseHex(configured.substring(HASHED.length()).toLowerCase(Locale.ROOT))
                : sha256(configured);
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
