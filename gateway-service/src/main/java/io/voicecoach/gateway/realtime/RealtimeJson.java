package io.voicecoach.gateway.realtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.introspect.AnnotatedClassResolver;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.voicecoach.gateway.session.Ids;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;

/**
 * The Realtime protocol's JSON: client frames bound to {@link ClientEvent}s, {@link ServerEvent}s written as frames.
 * Binding is strict (a number is not a string, a string not a number, unknown fields are ignored), and a refusal
 * names the JSON path of the bad field as the {@code error.param}, e.g. {@code item.content[0].text}.
 */
public final class RealtimeJson {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(LogicalType.Textual, textual -> textual
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();
    private static final ObjectReader CLIENT_EVENTS = MAPPER.readerFor(ClientEvent.class);
    private static final ObjectReader SERVER_EVENTS = MAPPER.readerFor(ServerEvent.class);
    private static final ObjectWriter FRAMES = MAPPER.writerFor(ServerEvent.class);
    private static final String EVENT_ID = "event_id";
    /** Longest part of a client's value an error message repeats. */
    static final int MAX_ECHO = 64;

    /**
     * Binds one client frame (UTF-8 JSON).
     *
     * @throws RealtimeError {@code invalid_json}, {@code invalid_event} (with the path of the bad field),
     *                       {@code unknown_event_type}, {@code not_implemented} or a record's own refusal
     */
    public static ClientEvent read(byte[] frame) {
        try (var parser = MAPPER.createParser(frame)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                MAPPER.readTree(frame); // invalid JSON is invalid_json, whatever it starts with
                throw RealtimeError.invalidEvent("a client event is a JSON object", null);
            }
            ClientEvent event = CLIENT_EVENTS.readValue(parser);
            if (parser.nextToken() != null) {
                throw RealtimeError.invalid(RealtimeError.INVALID_JSON, "the frame holds more than one JSON value",
                        null);
            }
            return event;
        } catch (JsonMappingException e) {
            throw refusal(e);
        } catch (JsonProcessingException e) {
            throw RealtimeError.invalid(RealtimeError.INVALID_JSON, "the frame is not valid JSON: "
                    + e.getOriginalMessage(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not thrown when reading from memory
        }
    }

    /** The {@code event_id} of a client frame that could not be bound, when it has a string one. */
    public static String clientEventId(byte[] frame) {
        try {
            var eventId = MAPPER.readTree(frame).get(EVENT_ID);
            return eventId != null && eventId.isTextual() ? eventId.textValue() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Builds the deserialisers of every client event type and the serialisers of every server event type now (they
     * are otherwise built on each type's first frame); returns how many types.
     */
    public static int prepareEveryType() {
        var config = MAPPER.getDeserializationConfig();
        int prepared = 0;
        for (Class<?> root : List.of(ClientEvent.class, ServerEvent.class)) {
            var annotated = AnnotatedClassResolver.resolveWithoutSuperTypes(config, root);
            var types = MAPPER.getSubtypeResolver().collectAndResolveSubtypesByTypeId(config, annotated).stream()
                    .map(NamedType::getType).filter(type -> type != root).distinct().toList(); // beta aliases: one type
            for (Class<?> type : types) {
                if (root == ClientEvent.class) {
                    MAPPER.readerFor(type);
                } else {
                    MAPPER.writerFor(type);
                }
            }
            prepared += types.size();
        }
        return prepared;
    }

    /** The frame of {@code event}: {@code event_id} (a new {@code evt_...}) first, then {@code type} and the fields. */
    public static String frame(ServerEvent event) {
        try {
            String json = FRAMES.writeValueAsString(event);
            return "{\"event_id\":\"" + Ids.event() + "\"," + json.substring(1);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + event.getClass().getSimpleName(), e);
        }
    }

    /** The {@code event_id} of a frame built by {@link #frame}. */
    public static String eventIdOf(String frame) {
        int start = frame.indexOf(':') + 2;
        return frame.substring(start, frame.indexOf('"', start));
    }

    /** Reads a server frame back (GA or beta names), as a client does. */
    public static ServerEvent readServerEvent(String frame) throws JsonProcessingException {
        return SERVER_EVENTS.readValue(frame);
    }

    /** Binds a part of a client event already read as a tree (errors keep their path below it). */
    static <T> T bind(JsonNode tree, Class<T> type) throws JsonProcessingException {
        return MAPPER.treeToValue(tree, type);
    }

    private static RealtimeError refusal(JsonMappingException e) {
        String path = path(e);
        String param = path.isEmpty() ? null : path;
        if (e instanceof InvalidTypeIdException unknown && path.isEmpty()) {
            String type = unknown.getTypeId();
            if (type == null) {
                return RealtimeError.invalidEvent("missing type", "type");
            }
            if (ClientEvent.NOT_IMPLEMENTED.contains(type)) {
                return RealtimeError.invalid(RealtimeError.NOT_IMPLEMENTED, type
                        + " is not supported by this gateway yet", "type");
            }
            return RealtimeError.invalid(RealtimeError.UNKNOWN_EVENT_TYPE, "unknown client event type: "
                    + clipped(type), "type");
        }
        if (e instanceof ValueInstantiationException) {
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof RealtimeError refused) {
                    return refused.under(path);
                }
                if (cause instanceof IllegalArgumentException invalid) {
                    return RealtimeError.invalidEvent(invalid.getMessage(), param);
                }
            }
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null && param != null) {
            return RealtimeError.invalidEvent(param + " must be " + kind(mismatch.getTargetType()), param);
        }
        return RealtimeError.invalidEvent(e.getOriginalMessage(), param);
    }

    /** At most {@link #MAX_ECHO} chars of what the client sent: an error never echoes a whole frame back. */
    static String clipped(String sent) {
        return sent.length() <= MAX_ECHO ? sent : sent.substring(0, MAX_ECHO) + "...";
    }

    /** Jackson's reference chain as the Realtime API writes a param: {@code a.b[2].c}. */
    private static String path(JsonMappingException e) {
        var path = new StringBuilder();
        for (var reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String kind(Class<?> type) {
        if (CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private RealtimeJson() {
    }
}
