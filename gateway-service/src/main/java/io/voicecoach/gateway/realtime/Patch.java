package io.voicecoach.gateway.realtime;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.io.IOException;

/**
 * A field of a {@code session.update} where JSON null means something (switch off, reset): the field absent is a null
 * {@code Patch} (keep what is set), JSON null is a patch without a value, anything else a patch with it.
 */
@JsonDeserialize(using = Patch.Reader.class)
@RegisterForReflection
public record Patch<T>(T value) {

    private static final Patch<?> CLEARED = new Patch<>(null);

    public boolean cleared() {
        return value == null;
    }

    /** Binds the value with the deserializer of its type; JSON null is {@link #CLEARED}, absence stays null. */
    static final class Reader extends JsonDeserializer<Patch<?>> implements ContextualDeserializer {

        private final JavaType valueType;

        Reader() {
            this(null);
        }

        private Reader(JavaType valueType) {
            this.valueType = valueType;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext context, BeanProperty property) {
            var type = property != null ? property.getType() : context.getContextualType();
            return new Reader(type.containedTypeOrUnknown(0));
        }

        @Override
        public Patch<?> deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return new Patch<>(context.readValue(parser, valueType));
        }

        @Override
        public Patch<?> getNullValue(DeserializationContext context) {
            return CLEARED;
        }

        @Override
        public Object getAbsentValue(DeserializationContext context) {
            return null;
        }
    }
}
