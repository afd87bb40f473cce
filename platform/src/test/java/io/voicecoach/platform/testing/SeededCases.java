package io.voicecoach.platform.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Property tests as plain loops: a fixed number of cases, each drawing its input from its own {@link Random} whose seed
 * follows from the property's fixed seed and the case's index, so every build tries the same inputs and a failure
 * names the seed and index that reproduce it ({@link #replay}). The helpers draw the kinds of text and bytes a hostile
 * client sends.
 */
public final class SeededCases {

    /** One case: draws its input from {@code random} and throws when the property does not hold. */
    @FunctionalInterface
    public interface Check {
        void run(Random random) throws Exception;
    }

    private SeededCases() {
    }

    /** Runs cases 0 to {@code cases - 1} of {@code seed}; the first failure ends the run, naming seed and index. */
    public static void run(long seed, int cases, Check check) {
        for (int index = 0; index < cases; index++) {
            replay(seed, index, check);
        }
    }

    /** Runs the one case {@code index} of {@code seed}, as {@link #run} did. */
    public static void replay(long seed, int index, Check check) {
        try {
            check.run(new Random(caseSeed(seed, index)));
        } catch (Throwable failure) {
            throw new AssertionError("seed " + seed + ", case " + index + " (SeededCases.replay(" + seed + "L, " + index
                    + ", ...) runs it alone): " + failure, failure);
        }
    }

    /** Spreads (seed, index) over the 64 bits, so neighbouring cases do not start from neighbouring states. */
    static long caseSeed(long seed, int index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** One of {@code choices}, each as likely. */
    @SafeVarargs
    public static <T> T oneOf(Random random, T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    /** One of {@code choices}, each as likely. */
    public static <T> T oneOf(Random random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    /** True in {@code weight} of {@code total} draws. */
    public static boolean chance(Random random, int weight, int total) {
        return random.nextInt(total) < weight;
    }

    /**
     * Up to {@code maxLength} chars of any kind: mostly printable ASCII, also control chars, letters of other scripts,
     * chars outside the BMP, lone surrogates and NUL. One in ten is empty.
     */
    public static String text(Random random, int maxLength) {
        int length = chance(random, 1, 10) ? 0 : random.nextInt(maxLength + 1);
        var text = new StringBuilder(length);
        while (text.length() < length) {
            switch (random.nextInt(8)) {
                case 0 -> text.append((char) random.nextInt(0x20));
                case 1 -> text.append((char) random.nextInt(0x10000));
                case 2 -> text.appendCodePoint(0x10000 + random.nextInt(0x100000));
                case 3 -> text.append((char) (0xD800 + random.nextInt(0x800)));
                default -> text.append((char) (0x20 + random.nextInt(0x5F)));
            }
        }
        return text.length() > length ? text.substring(0, length) : text.toString();
    }

    /** {@code minLength} to {@code maxLength} chars taken from {@code alphabet}. */
    public static String text(Random random, String alphabet, int minLength, int maxLength) {
        int length = minLength + random.nextInt(maxLength - minLength + 1);
        var text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    /** Up to {@code maxLength} random bytes: often not UTF-8. */
    public static byte[] bytes(Random random, int maxLength) {
        var bytes = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** {@link #text(Random, int)} as UTF-8 (lone surrogates become '?'). */
    public static byte[] utf8(Random random, int maxLength) {
        return text(random, maxLength).getBytes(StandardCharsets.UTF_8);
    }
}
