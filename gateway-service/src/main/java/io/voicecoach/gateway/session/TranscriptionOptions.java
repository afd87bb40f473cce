package io.voicecoach.gateway.session;

import java.util.List;
import java.util.Set;

/**
 * What a client asked of speech-to-text ({@code audio.input.transcription} and {@code voicecoach.phrases}).
 *
 * @param model   the Realtime {@code model} as the client named it, null for the tenant's default
 * @param language BCP-47 or ISO-639-1 language, null to keep the current one
 * @param prompt  free text that guides the engine, null if none
 * @param phrases words and names that bias recognition
 */
public record TranscriptionOptions(String model, String language, String prompt, List<String> phrases) {

    public static final TranscriptionOptions NONE = new TranscriptionOptions(null, null, null, List.of());

    /** OpenAI's transcription models; all run on VoiceCoach's {@value #OPENAI_ENGINE} engine. */
    private static final Set<String> OPENAI_MODELS = Set.of("whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe",
            "gpt-4o-transcribe-diarize", "gpt-4o-transcribe-latest", "gpt-4o-mini-transcribe-latest");
    public static final String OPENAI_ENGINE = "openai";

    public TranscriptionOptions {
        phrases = phrases == null ? List.of() : List.copyOf(phrases);
    }

    /** The engine name on Kafka: OpenAI model names map to {@value #OPENAI_ENGINE}, any other name is the engine's. */
    public String engine() {
        if (model == null) {
            return null;
        }
        return OPENAI_MODELS.contains(model) ? OPENAI_ENGINE : model;
    }

    public TranscriptionOptions withPhrases(List<String> phrases) {
        return new TranscriptionOptions(model, language, prompt, phrases);
    }
}
