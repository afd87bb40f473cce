package io.voicecoach.transcription.stt.sphinx;

import io.voicecoach.transcription.stt.RecognitionResult;
import io.voicecoach.transcription.stt.RecognitionResult.WordTiming;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses what {@code pocketsphinx_continuous -time yes} prints: per speech segment one hypothesis line, then one
 * {@code word start end posterior} line per word (seconds from the stream start).
 */
final class DecoderOutput {

    private static final Set<String> FILLERS = Set.of("<s>", "</s>", "<sil>", "[noise]", "[NOISE]");

    private final List<String> segments = new ArrayList<>();
    private final List<WordTiming> words = new ArrayList<>();

    synchronized void line(String line) {
        var parts = line.trim().split("\\s+");
        if (parts.length == 4 && isNumber(parts[1]) && isNumber(parts[2]) && isNumber(parts[3])) {
            String word = parts[0].replaceFirst("\\(\\d+\\)$", "");
            if (!FILLERS.contains(word) && !word.startsWith("++") && !word.startsWith("[")) {
                words.add(new WordTiming(word, millis(parts[1]), millis(parts[2]), Double.parseDouble(parts[3])));
            }
        } else if (!line.isBlank()) {
            segments.add(line.trim());
        }
    }

    synchronized String text() {
        return String.join(" ", segments);
    }

    synchronized RecognitionResult result() {
        double confidence = words.stream().mapToDouble(WordTiming::confidence).average().orElse(0);
        return new RecognitionResult(text(), Math.max(0, Math.min(1, confidence)), List.copyOf(words));
    }

    private static long millis(String seconds) {
        return Math.round(Double.parseDouble(seconds) * 1000);
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s.toLowerCase(Locale.ROOT));
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
