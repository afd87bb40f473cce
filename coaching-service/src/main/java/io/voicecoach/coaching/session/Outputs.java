package io.voicecoach.coaching.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What processing one event decides: records for the topology's sinks (they go out in this order, in the task's
 * transaction, with the session's next {@code seq}) and work handed off to other threads once they are forwarded
 * (LLM calls, the agent's worker). Every event id is derived from the input, so reprocessing yields the same ids.
 */
public final class Outputs {

    /** A record for {@code topic}; {@code headers} travel as Kafka record headers. */
    public record Out(String topic, UUID eventId, String type, Object payload, Map<String, String> headers) {
    }

    private final List<Out> records = new ArrayList<>();
    private final List<Runnable> handOffs = new ArrayList<>();

    public void publish(String topic, UUID eventId, String type, Object payload) {
        records.add(new Out(topic, eventId, type, payload, Map.of()));
    }

    public void publish(String topic, UUID eventId, String type, Object payload, Map<String, String> headers) {
        records.add(new Out(topic, eventId, type, payload, Map.copyOf(headers)));
    }

    /** Runs once this event's records are forwarded; must not block (it starts work on another thread). */
    public void handOff(Runnable work) {
        handOffs.add(work);
    }

    public List<Out> records() {
        return List.copyOf(records);
    }

    public List<Runnable> handOffs() {
        return List.copyOf(handOffs);
    }
}
