package io.voicecoach.events;

/**
 * A record whose {@code type} this version does not know (a newer producer, or a mistake). Consumers that used to
 * skip unknown types catch it and skip; it is an {@link InvalidEventException} for those that park them.
 */
public class UnknownEventTypeException extends InvalidEventException {

    private final String type;

    public UnknownEventTypeException(String type) {
        super("unknown event type " + type);
        this.type = type;
    }

    public String type() {
        return type;
    }
}
