package io.voicecoach.events.kafka;

import io.voicecoach.events.Event;
import io.voicecoach.events.EventCodec;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde of {@link Event} record values ({@link EventCodec}'s JSON). The deserializer throws
 * {@link io.voicecoach.events.InvalidEventException} for a value that is not an event; a consumer that must park such
 * values in a dead-letter topic reads {@link Decoded} instead ({@link #decoded()}).
 * <p>
 * SmallRye channels: {@code value.serializer=io.voicecoach.events.kafka.EventSerde$EventSerializer} with an
 * {@code Emitter<Event<?>>}. Kafka Streams: {@code EventSerde.events()} on sinks, {@code EventSerde.decoded()} on
 * sources.
 */
public final class EventSerde {

    public static Serde<Event<?>> events() {
        return new Serde<>() {
            @Override
            public Serializer<Event<?>> serializer() {
                return new EventSerializer();
            }

            @Override
            public Deserializer<Event<?>> deserializer() {
                return new EventDeserializer();
            }
        };
    }

    public static Serde<Decoded> decoded() {
        return new Serde<>() {
            @Override
            public Serializer<Decoded> serializer() {
                return (topic, decoded) -> decoded == null ? null : decoded.value();
            }

            @Override
            public Deserializer<Decoded> deserializer() {
                return (topic, value) -> Decoded.of(value);
            }
        };
    }

    public static final class EventSerializer implements Serializer<Event<?>> {
        @Override
        public byte[] serialize(String topic, Event<?> event) {
            return event == null ? null : EventCodec.encode(event);
        }
    }

    public static final class EventDeserializer implements Deserializer<Event<?>> {
        @Override
        public Event<?> deserialize(String topic, byte[] value) {
            return value == null ? null : EventCodec.decode(value);
        }
    }

    private EventSerde() {
    }
}
