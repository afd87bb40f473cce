package io.voicecoach.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * The JSON of {@link Event}s: the envelope of {@link EventJson} byte for byte (same fields, same order, nulls left
 * out), written and read in one pass with the payload bound straight to its registered record. Records already on
 * Kafka, and those of services still on {@link Envelope}, decode; what this writes, they read.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = EventJson.MAPPER.copy().registerModule(new SimpleModule("events")
            .addSerializer(rawEvent(), new Writer())
            .addDeserializer(rawEvent(), new Reader()));
    private static final ObjectWriter WRITER = MAPPER.writerFor(Event.class);
    private static final ObjectReader READER = MAPPER.readerFor(Event.class);

    public static byte[] encode(Event<?> event) {
        try {
            return WRITER.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode event " + event.type(), e);
        }
    }

    public static String encodeToString(Event<?> event) {
        return new String(encode(event), StandardCharsets.UTF_8);
    }

    /** Decodes an event; throws {@link InvalidEventException} (or {@link UnknownEventTypeException}) for anything else. */
    public static Event<?> decode(byte[] json) {
        if (json == null || json.length == 0) {
            throw new InvalidEventException("empty record value");
        }
        try {
            return READER.readValue(json);
        } catch (IOException | RuntimeException e) {
            throw invalid(e);
        }
    }

    public static Event<?> decode(String json) {
        if (json == null || json.isBlank()) {
            throw new InvalidEventException("empty record value");
        }
        return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes an event of one topic's family, e.g. {@link SessionEvent}; another payload is invalid here. */
    @SuppressWarnings("unchecked")
    public static <F extends Payload> Event<? extends F> decode(byte[] json, Class<F> family) {
        var event = decode(json);
        if (!family.isInstance(event.payload())) {
            throw new InvalidEventException(event.type() + " is not a " + family.getSimpleName());
        }
        return (Event<? extends F>) event;
    }

    /**
     * A value bound from a JSON tree the way payloads are bound: for the parts of a payload the wire carries as trees
     * ({@link ToolCall#arguments()}, {@link ToolResult#result()}).
     *
     * @throws InvalidEventException when the tree is not a {@code type}
     */
    public static <T> T fromTree(JsonNode tree, Class<T> type) {
        if (tree == null || tree.isNull() || tree.isMissingNode()) {
            throw new InvalidEventException("no " + type.getSimpleName() + " in an empty tree");
        }
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidEventException("not a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** {@code value} as the JSON tree a payload would carry it in (see {@link #fromTree}). */
    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /**
     * Builds the (de)serializers of every registered payload now, so the first event of each type a service reads or
     * writes is not the one that pays for them (a service's warm-up calls it).
     */
    public static void prepareEveryType() {
        for (EventType<?> type : EventRegistry.ALL) {
            MAPPER.readerFor(type.payload());
            MAPPER.writerFor(type.payload());
        }
    }

    /** The typed view of an untyped envelope, for code that still receives {@link Envelope}s. */
    public static Event<?> typed(Envelope envelope) {
        return decode(EventJson.encode(envelope).getBytes(StandardCharsets.UTF_8));
    }

    private static InvalidEventException invalid(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidEventException e) {
                return e;
            }
        }
        return new InvalidEventException("not an event envelope: " + failure.getMessage(), failure);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Class<Event<?>> rawEvent() {
        return (Class) Event.class;
    }

    /** Field order and null handling of {@link Envelope}'s record serialization. */
    private static final class Writer extends JsonSerializer<Event<?>> {
        @Override
        public void serialize(Event<?> event, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeStartObject();
            out.writeStringField("eventId", event.eventId().toString());
            out.writeStringField("type", event.type());
            out.writeNumberField("schemaVersion", event.schemaVersion());
            out.writeStringField("tenantId", event.tenantId());
            out.writeStringField("sessionId", event.sessionId());
            out.writeNumberField("seq", event.seq());
            provider.defaultSerializeField("occurredAt", event.occurredAt(), out);
            if (event.producer() != null) {
                out.writeStringField("producer", event.producer());
            }
            provider.defaultSerializeField("payload", event.payload(), out);
            out.writeEndObject();
        }
    }

    /**
     * Reads the envelope's fields in any order; the payload is bound to its type's record as it is read when
     * {@code type} came first (as every producer writes it), else buffered as a tree until the end.
     */
    private static final class Reader extends JsonDeserializer<Event<?>> {
        @Override
        public Event<?> deserialize(JsonParser in, DeserializationContext context) throws IOException {
            if (in.currentToken() != JsonToken.START_OBJECT) {
                throw new InvalidEventException("not an event envelope: expected a JSON object");
            }
            UUID eventId = null;
            String type = null;
            int schemaVersion = 0;
            String tenantId = null;
            String sessionId = null;
            long seq = 0;
            Instant occurredAt = null;
            String producer = null;
            Object payload = null;
            JsonNode deferred = null;
            for (String field = in.nextFieldName(); field != null; field = in.nextFieldName()) {
                JsonToken token = in.nextToken();
                boolean isNull = token == JsonToken.VALUE_NULL;
                switch (field) {
                    case "eventId" -> eventId = isNull ? null : UUID.fromString(in.getText());
                    case "type" -> type = isNull ? null : in.getText();
                    case "schemaVersion" -> schemaVersion = in.getValueAsInt();
                    case "tenantId" -> tenantId = isNull ? null : in.getText();
                    case "sessionId" -> sessionId = isNull ? null : in.getText();
                    case "seq" -> seq = in.getValueAsLong();
                    case "occurredAt" -> occurredAt = isNull ? null : context.readValue(in, Instant.class);
                    case "producer" -> producer = isNull ? null : in.getText();
                    case "payload" -> {
                        var known = type == null ? null : EventRegistry.byName(type).orElse(null);
                        if (isNull) {
                            payload = null;
                        } else if (known != null) {
                            payload = payload(context, in, known);
                        } else {
                            deferred = context.readTree(in);
                        }
                    }
                    default -> in.skipChildren();
                }
            }
            if (type == null) {
                throw new InvalidEventException("not an event envelope: no type");
            }
            String name = type;
            var known = EventRegistry.byName(name).orElseThrow(() -> new UnknownEventTypeException(name));
            if (deferred != null) {
                try {
                    payload = context.readTreeAsValue(deferred, known.payload());
                } catch (IOException | RuntimeException e) {
                    throw wrongPayload(type, known, e);
                }
            }
            if (payload == null) {
                throw new InvalidEventException(type + " has no payload");
            }
            try {
                return new Event<>(eventId, type, schemaVersion, tenantId, sessionId, seq, occurredAt, producer,
                        (Payload) payload);
            } catch (NullPointerException | IllegalArgumentException e) {
                throw new InvalidEventException("not an event envelope: " + e.getMessage(), e);
            }
        }

        private static Object payload(DeserializationContext context, JsonParser in, EventType<?> type) {
            try {
                return context.readValue(in, type.payload());
            } catch (IOException | RuntimeException e) {
                throw wrongPayload(type.name(), type, e);
            }
        }

        private static InvalidEventException wrongPayload(String name, EventType<?> type, Exception e) {
            return new InvalidEventException("payload of " + name + " is not a " + type.payload().getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }

    private EventCodec() {
    }
}
