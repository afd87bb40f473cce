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

    /** How many phrases, how long each, an utterance may ask for ({@code voicecoach.stt.max-phrases|max-phrase-chars}). */
    public record Limits(int maxPhrases, int maxPhraseChars) {
        /** Characters a phrase list within the limits can take as JSON (quotes, commas, escapes). */
        int maxJsonChars() {
            return 2 + maxPhrases * (maxPhraseChars * 6 + 3);
        }
    }

    /** Header values as they arrived (null when absent); a phrase list that is not a JSON array of strings is refused. */
    static UtteranceSettings of(String engine, String language, String phrasesJson) {
        return of(engine, language, phrasesJson, new Limits(Integer.MAX_VALUE / 16, Integer.MAX_VALUE / 16));
    }

    /**
     * Like {@link #of(String, String, String)}; a phrase list beyond {@code limits}, or an engine or language name
     * longer than {@value #MAX_NAME_CHARS} characters, is refused ({@link InvalidEventException}).
     */
    static UtteranceSettings of(String engine, String language, String phrasesJson, Limits limits) {
        if (engine == null && language == null && phrasesJson == null) {
            return NONE;
        }
        name(AudioHeaders.STT_ENGINE, engine);
        name(AudioHeaders.LANGUAGE, language);
        return new UtteranceSettings(engine, language, phrases(phrasesJson, limits));
    }

    /** Engine and language names are short; a longer one is not a name (and would be logged and echoed). */
    static final int MAX_NAME_CHARS = 64;

    private static void name(String header, String value) {
        if (value != null && value.length() > MAX_NAME_CHARS) {
            throw new InvalidEventException(header + " is longer than " + MAX_NAME_CHARS + " characters");
        }
        if (value != null && value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidEventException(header + " contains control characters");
        }
    }

    private static List<String> phrases(String json, Limits limits) {
        if (json == null) {
            return List.of();
        }
        if (json.length() > limits.maxJsonChars()) {
            throw new InvalidEventException(AudioHeaders.PHRASES + " has " + json.length() + " characters, more than "
                    + limits.maxPhrases() + " phrases of " + limits.maxPhraseChars() + " can take");
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
                String phrase = element.textValue().strip();
                if (phrase.length() > limits.maxPhraseChars()) {
                    throw new InvalidEventException(AudioHeaders.PHRASES + " has a phrase of " + phrase.length()
                            + " characters, more than the " + limits.maxPhraseChars() + " allowed");
                }
                if (!phrase.isEmpty()) {
                    phrases.add(phrase);
                }
            }
            if (phrases.size() > limits.maxPhrases()) {
                throw new InvalidEventException(AudioHeaders.PHRASES + " has " + phrases.size() + " phrases, more than the "
                        + limits.maxPhrases() + " allowed");
            }
            return phrases;
        } catch (JsonProcessingException e) {
            throw notPhrases(json);
        }
    }

    private static InvalidEventException notPhrases(String json) {
        String shown = json.length() > 200 ? json.substring(0, 200) + "..." : json;
        return new InvalidEventException(AudioHeaders.PHRASES + " is not a JSON array of strings: " + shown);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
