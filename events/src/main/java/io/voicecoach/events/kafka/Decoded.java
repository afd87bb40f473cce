package io.voicecoach.events.kafka;

import io.voicecoach.events.Event;
import io.voicecoach.events.EventCodec;
import io.voicecoach.events.InvalidEventException;

/**
 * A record value as a consumer received it: the event, or why it is none. Either way the bytes as received are kept,
 * for a dead-letter topic. Deserializing never fails, so one bad record cannot stop a partition.
 */
public sealed interface Decoded {

    byte[] value();

    static Decoded of(byte[] value) {
        try {
            return new Valid(EventCodec.decode(value), value);
        } catch (InvalidEventException e) {
            return new Invalid(value, e);
        }
    }

    record Valid(Event<?> event, byte[] value) implements Decoded {
    }

    record Invalid(byte[] value, InvalidEventException reason) implements Decoded {
    }
}
