package io.voicecoach.analytics.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.events.EventJson;

final class Json {

    /** Stored jsonb text back as a tree; null stays null. */
    static JsonNode tree(String json) {
        if (json == null) {
            return null;
        }
        try {
            return EventJson.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored value is not JSON", e);
        }
    }

    private Json() {
    }
}
