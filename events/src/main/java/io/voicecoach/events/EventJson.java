package io.voicecoach.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** JSON encoding of {@link Envelope}s and payloads, identical in every service. */
public final class EventJson {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    public static String encode(Envelope envelope) {
        try {
            return MAPPER.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode event " + envelope.type(), e);
        }
    }

    /** Decodes an envelope; throws {@link InvalidEventException} for anything that is not one. */
    public static Envelope decode(String json) {
        if (json == null || json.isBlank()) {
            throw new InvalidEventException("empty record value");
        }
        try {
            return MAPPER.readValue(json, Envelope.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidEventException("not an event envelope: " + e.getMessage(), e);
        }
    }

    public static Envelope decode(byte[] json) {
        return decode(json == null ? null : new String(json, StandardCharsets.UTF_8));
    }

    public static <T> T payload(Envelope envelope, Class<T> type) {
        if (envelope.payload() == null || envelope.payload().isNull()) {
            throw new InvalidEventException(envelope.type() + " has no payload");
        }
        try {
            return MAPPER.treeToValue(envelope.payload(), type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidEventException("payload of " + envelope.type() + " is not a " + type.getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }

    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    private EventJson() {
    }
}
