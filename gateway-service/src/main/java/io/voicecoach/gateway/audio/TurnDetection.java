package io.voicecoach.gateway.audio;

/**
 * {@code turn_detection} of type {@code server_vad}. The session's value is null when the client commits itself.
 *
 * @param threshold         0..1, higher needs clearer speech. Energy engine: the margin above the noise floor is
 *                          {@code 3 + 15 * threshold} dB (0.5 -> 10.5 dB); Silero engine: the speech probability a
 *                          frame needs (0.15 less while speaking)
 * @param prefixPaddingMs   audio kept before the detected start of speech
 * @param silenceDurationMs silence that ends an utterance (the hangover)
 */
public record TurnDetection(double threshold, int prefixPaddingMs, int silenceDurationMs) {

    public static final String SERVER_VAD = "server_vad";
    public static final TurnDetection DEFAULT = new TurnDetection(0.5, 300, 500);

    public TurnDetection {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be between 0 and 1");
        }
        if (prefixPaddingMs < 0 || prefixPaddingMs > 5000) {
            throw new IllegalArgumentException("prefix_padding_ms must be between 0 and 5000");
        }
        if (silenceDurationMs < 20 || silenceDurationMs > 10000) {
            throw new IllegalArgumentException("silence_duration_ms must be between 20 and 10000");
        }
    }
}
