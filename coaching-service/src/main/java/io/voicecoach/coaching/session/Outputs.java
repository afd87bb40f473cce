package io.voicecoach.coaching.session;

import io.voicecoach.coaching.call.CallTalk;
import io.voicecoach.events.EventRegistry;
import io.voicecoach.events.Payload;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What processing one event decides: records for the topology's sinks (they go out in this order, in the task's
 * transaction, with the session's next {@code seq}) and work handed off to other threads once they are forwarded
 * (LLM calls, the agent's worker), and what the session's call's other legs are told ({@code coach.call.talk}). Every event id is derived from the input, so reprocessing yields the same ids.
 */
public final class Outputs {

    /** A record for the topic of its payload's type; {@code headers} travel as Kafka record headers. */
    public record Out(UUID eventId, Payload payload, Map<String, String> headers) {
        public String topic() {
            return EventRegistry.typeOf(payload).topic();
        }

        public String type() {
            return EventRegistry.typeOf(payload).name();
        }
    }

    private final List<Out> records = new ArrayList<>();
    private final List<Runnable> handOffs = new ArrayList<>();
    private final List<CallTalk> calls = new ArrayList<>();

    public void publish(UUID eventId, Payload payload) {
        records.add(new Out(eventId, payload, Map.of()));
    }

    public void publish(UUID eventId, Payload payload, Map<String, String> headers) {
        records.add(new Out(eventId, payload, Map.copyOf(headers)));
    }

    /** Runs once this event's records are forwarded; must not block (it starts work on another thread). */
    public void handOff(Runnable work) {
        handOffs.add(work);
    }

    /** For the session's call (its legs' task), on {@code coach.call.talk}; no envelope, no {@code seq}. */
    public void toCall(CallTalk talk) {
        calls.add(talk);
    }

    public List<CallTalk> calls() {
        return List.copyOf(calls);
    }

    public List<Out> records() {
        return List.copyOf(records);
    }

    public List<Runnable> handOffs() {
        return List.copyOf(handOffs);
    }
}
