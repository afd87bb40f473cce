package io.voicecoach.analytics.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.voicecoach.events.EventJson;

import java.util.Map;
import java.util.TreeMap;

/**
 * Client metadata of a session: {@code session.started}'s, then each {@code session.updated}'s merged over it (a key
 * given again replaces its value). Two keys mean something to analytics: {@value #TEAM} and {@value #OUTCOME}.
 */
public final class SessionMetadata {

    public static final String TEAM = "team";
    public static final String OUTCOME = "outcome";

    /** The merged metadata as JSON text. */
    static String merge(String storedJson, Map<String, String> update) {
        Map<String, String> merged = new TreeMap<>(parse(storedJson));
        if (update != null) {
            update.forEach((key, value) -> {
                if (key != null && value != null) {
                    merged.put(key, value);
                }
            });
        }
        try {
            return EventJson.MAPPER.writeValueAsString(merged);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value of {@code key}, null when absent or blank. */
    static String value(String json, String key) {
        String value = parse(json).get(key);
        return value == null || value.isBlank() ? null : value.strip();
    }

    static Map<String, String> parse(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return EventJson.MAPPER.readValue(json, new TypeReference<Map<String, String>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored metadata is not a JSON object of strings", e);
        }
    }

    private SessionMetadata() {
    }
}
