package io.voicecoach.events;

/**
 * One event type of the wire: its {@link Envelope#type()} name, the topic it travels on and its payload record.
 *
 * @param name    e.g. {@code transcript.final}; one of {@link EventTypes}
 * @param topic   one of {@link Topics}
 * @param payload the record the envelope's {@code payload} decodes to
 */
public record EventType<P extends Payload>(String name, String topic, Class<P> payload) {
}
