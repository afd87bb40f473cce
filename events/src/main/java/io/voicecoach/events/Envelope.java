package io.voicecoach.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The JSON value of every record on the event topics (audio excepted, which is raw PCM with headers).
 *
 * @param eventId       unique per event; consumers de-duplicate on it
 * @param type          one of {@link EventTypes}
 * @param schemaVersion version of the payload's shape
 * @param tenantId      owning tenant; every consumer scopes its work by it
 * @param sessionId     also the record key
 * @param seq           per session and producer, starting at 1
 * @param occurredAt    when the producer created the event
 * @param producer      application name of the producing service
 * @param payload       the typed payload, decoded with {@link EventJson#payload(Envelope, Class)}
 */
@RegisterForReflection
public record Envelope(UUID eventId, String type, int schemaVersion, String tenantId, String sessionId, long seq,
                       Instant occurredAt, String producer, JsonNode payload) {

    public static final int SCHEMA_VERSION = 1;

    public Envelope {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }

    public static Envelope of(String type, String tenantId, String sessionId, long seq, String producer, Object payload) {
        return new Envelope(UUID.randomUUID(), type, SCHEMA_VERSION, tenantId, sessionId, seq, Instant.now(), producer,
                EventJson.tree(payload));
    }

    public <T> T payloadAs(Class<T> type) {
        return EventJson.payload(this, type);
    }
}
