package io.voicecoach.gateway.tenant;

import java.security.SecureRandom;

/** Random secrets. */
public final class Secrets {

    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** {@code length} characters from a 62-letter alphabet, from a {@link SecureRandom}. */
    public static String random(int length) {
        var secret = new char[length];
        for (int i = 0; i < length; i++) {
            secret[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(secret);
    }

    private Secrets() {
    }
}
