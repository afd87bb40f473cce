package io.voicecoach.gateway.session;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Identifiers in the OpenAI Realtime style. Not secrets: they only need to be unique. */
public final class Ids {

    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int RANDOM_LENGTH = 22;

    public static String session() {
        return "sess_" + UUID.randomUUID();
    }

    public static String event() {
        return random("evt_");
    }

    public static String response() {
        return random("resp_");
    }

    public static String item() {
        return random("item_");
    }

    private static String random(String prefix) {
        var random = ThreadLocalRandom.current();
        var id = new StringBuilder(prefix.length() + RANDOM_LENGTH).append(prefix);
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            id.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return id.toString();
    }

    private Ids() {
    }
}
