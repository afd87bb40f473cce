package io.voicecoach.tools.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Signing of webhook requests: {@code X-VoiceCoach-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>},
 * the key being the UTF-8 bytes of the whole secret ({@code whsec_...}) and the timestamp the value of
 * {@code X-VoiceCoach-Timestamp} (unix seconds).
 */
public final class WebhookSignature {

    public static final String TIMESTAMP_HEADER = "X-VoiceCoach-Timestamp";
    public static final String SIGNATURE_HEADER = "X-VoiceCoach-Signature";
    public static final String CALL_ID_HEADER = "X-VoiceCoach-Call-Id";
    public static final String VERSION = "v1=";

    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignature() {
    }

    /** A fresh signing secret: {@code whsec_} and 32 random bytes, base64url. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The header value for a request body sent at {@code timestamp}. */
    public static String sign(String secret, long timestamp, byte[] body) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return VERSION + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 missing from the JDK", e);
        }
    }
}
