package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A typed event: the envelope's fields (the JSON of {@link Envelope}, byte for byte, see {@link EventCodec}) with its
 * payload decoded to the record its type names in {@link EventRegistry}. Consumers switch on {@link #payload()}.
 *
 * @param eventId       unique per event; consumers de-duplicate on it
 * @param type          the payload's type name, one of {@link EventTypes}
 * @param schemaVersion version of the payload's shape
 * @param tenantId      owning tenant; every consumer scopes its work by it
 * @param sessionId     also the record key
 * @param seq           per session and producer, starting at 1
 * @param occurredAt    when the producer created the event
 * @param producer      application name of the producing service; may be null
 * @param payload       the typed payload
 */
@RegisterForReflection
public record Event<P extends Payload>(UUID eventId, String type, int schemaVersion, String tenantId, String sessionId,
                                       long seq, Instant occurredAt, String producer, P payload) {

    public Event {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(payload, "payload");
        var registered = EventRegistry.byName(type).orElseThrow(() -> new UnknownEventTypeException(type));
        if (!registered.payload().isInstance(payload)) {
            throw new IllegalArgumentException(type + " carries a " + registered.payload().getSimpleName() + ", not a "
                    + payload.getClass().getSimpleName());
        }
    }

    /** An event of the current schema version whose type follows from its payload. */
    public static <P extends Payload> Event<P> of(UUID eventId, String tenantId, String sessionId, long seq,
                                                  Instant occurredAt, String producer, P payload) {
        return new Event<>(eventId, EventRegistry.typeOf(payload).name(), Envelope.SCHEMA_VERSION, tenantId, sessionId,
                seq, occurredAt, producer, payload);
    }

    /** The topic this event travels on. */
    public String topic() {
        return EventRegistry.typeOf(payload).topic();
    }
}
