package io.voicecoach.transcription.stt;

import java.util.List;

/**
 * The final result of one utterance.
 *
 * @param confidence 0..1
 * @param words      word timings relative to the utterance's first sample; empty when the engine gives none
 */
public record RecognitionResult(String text, double confidence, List<WordTiming> words) {

    public record WordTiming(String word, long startMs, long endMs, double confidence) {
    }

    public static RecognitionResult empty() {
        return new RecognitionResult("", 0, List.of());
    }
}
