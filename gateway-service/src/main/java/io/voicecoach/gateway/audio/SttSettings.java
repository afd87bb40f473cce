package io.voicecoach.gateway.audio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;

/**
 * The speech-to-text settings an utterance is decoded with, as they were when it began; stamped on its first chunk.
 *
 * @param engine   engine name on Kafka, null for the tenant's default
 * @param language BCP-47 or ISO-639-1, null for the default
 * @param phrases  the session's own phrases
 */
public record SttSettings(String engine, String language, List<String> phrases) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public SttSettings {
        phrases = phrases == null ? List.of() : List.copyOf(phrases);
    }

    byte[] phrasesJson() {
        try {
            return JSON.writeValueAsBytes(phrases);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode phrases", e);
        }
    }
}
