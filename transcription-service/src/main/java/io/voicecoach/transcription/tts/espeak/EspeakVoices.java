package io.voicecoach.transcription.tts.espeak;

import java.util.Locale;
import java.util.Map;

/**
 * OpenAI voice names mapped onto espeak-ng voices (language + variant), roughly by the OpenAI voice's character:
 * female-sounding names on the {@code f} variants, male-sounding ones on {@code m}. Configured entries win.
 */
final class EspeakVoices {

    static final String DEFAULT = "en-us";

    private static final Map<String, String> BUILT_IN = Map.of(
            "alloy", "en-us+f3",
            "ash", "en-us+m3",
            "ballad", "en-gb+m4",
            "coral", "en-us+f4",
            "echo", "en-us+m1",
            "sage", "en-gb+f2",
            "shimmer", "en-us+f5",
            "verse", "en-us+m5",
            "marin", "en-us+f1",
            "cedar", "en-us+m2");

    private final Map<String, String> configured;

    EspeakVoices(Map<String, String> configured) {
        this.configured = configured;
    }

    /** The espeak-ng voice for an OpenAI voice name; the default one for an unknown or missing name. */
    String of(String openAiVoice) {
        if (openAiVoice == null) {
            return DEFAULT;
        }
        String name = openAiVoice.toLowerCase(Locale.ROOT);
        return configured.getOrDefault(name, BUILT_IN.getOrDefault(name, DEFAULT));
    }
}
