package io.voicecoach.transcription.audio;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.voicecoach.events.AudioHeaders;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.InvalidEventException;

import java.util.ArrayList;
import java.util.List;

/**
 * The speech-to-text settings an utterance's first chunk carries ({@code vc-stt-engine}, {@code vc-language},
 * {@code vc-stt-phrases}); a null engine or language and an empty phrase list mean the tenant's defaults.
 *
 * @param engine  the engine name as the client asked for it (may be one this instance does not have)
 * @param phrases the session's own phrase list (the tenant's is added to it)
 */
public record UtteranceSettings(String engine, String language, List<String> phrases) {

    public static final UtteranceSettings NONE = new UtteranceSettings(null, null, List.of());

    public UtteranceSettings {
        engine = blankToNull(engine);
        language = blankToNull(language);
        phrases = phrases == null ? List.of() : List.copyOf(phrases);
    }

    /** Header values as they arrived (null when absent); a phrase list that is not a JSON array of strings is refused. */
    static UtteranceSettings of(String engine, String language, String phrasesJson) {
        return engine == null && language == null && phrasesJson == null ? NONE
                : new UtteranceSettings(engine, language, phrases(phrasesJson));
    }

    private static List<String> phrases(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            var node = EventJson.MAPPER.readTree(json);
            if (node == null || !node.isArray()) {
                throw notPhrases(json);
            }
            var phrases = new ArrayList<String>();
            for (var element : node) {
                if (!element.isTextual()) {
                    throw notPhrases(json);
                }
                if (!element.textValue().isBlank()) {
                    phrases.add(element.textValue().strip());
                }
            }
            return phrases;
        } catch (JsonProcessingException e) {
            throw notPhrases(json);
        }
    }

    private static InvalidEventException notPhrases(String json) {
        return new InvalidEventException(AudioHeaders.PHRASES + " is not a JSON array of strings: " + json);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
