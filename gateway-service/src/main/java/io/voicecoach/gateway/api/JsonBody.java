package io.voicecoach.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Request bodies read as trees (no reflection); an empty body is null, so any content type is accepted. */
public final class JsonBody {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** @throws IllegalArgumentException when the body is not JSON */
    public static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private JsonBody() {
    }
}
