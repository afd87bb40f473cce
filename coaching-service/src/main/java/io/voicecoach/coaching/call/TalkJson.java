package io.voicecoach.coaching.call;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON of {@link CallTalk} and {@link FarSpeech}, the values of coaching's call topics. Reading never throws: a value
 * that is not JSON of the type arrives as a {@link Received} with its problem, for the dead-letter topic.
 */
public final class TalkJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** A value as received: {@code value} when it decoded, else null and {@code problem} says why. */
    public record Received<T>(T value, byte[] bytes, String problem) {
    }

    public static <T> Serializer<T> serializer() {
        return (topic, value) -> {
            try {
                return value == null ? null : MAPPER.writeValueAsBytes(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    public static <T> Deserializer<Received<T>> deserializer(Class<T> type) {
        return (topic, bytes) -> {
            if (bytes == null) {
                return new Received<>(null, null, "no value");
            }
            try {
                T value = MAPPER.readValue(bytes, type);
                return value == null ? new Received<>(null, bytes, "no value") : new Received<>(value, bytes, null);
            } catch (IOException | RuntimeException e) {
                return new Received<>(null, bytes, "not a " + type.getSimpleName() + ": " + e.getMessage());
            }
        };
    }

    private TalkJson() {
    }
}
