package io.voicecoach.gateway.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one attachment of a client has been sent: the cursor of its replayable frames and the state behind them (ids
 * already delivered, partial transcripts shown, items whose transcription is done). A resume starts a new stream
 * from the client's cursor and rebuilds that state from Kafka; while it replays, live deliveries wait here. Guarded by
 * the session's lock.
 */
public final class ClientStream {

    private static final int EVENT_ID_PREFIX = "{\"event_id\":\"".length();

    private final TreeMap<String, Long> positions;
    private long timestamp;
    private final RecentIds delivered;
    private final RecentIds transcribed;
    private final Map<String, String> partials = new HashMap<>();
    private List<Waiting> waiting;

    /** A live delivery held while the stream replays. */
    record Waiting(RecordPosition position, Delivery delivery) {
    }

    ClientStream(Cursor from, int idCapacity, boolean replaying) {
        this.positions = new TreeMap<>(from.positions());
        this.timestamp = from.timestamp();
        this.delivered = new RecentIds(idCapacity);
        this.transcribed = new RecentIds(idCapacity);
        this.waiting = replaying ? new ArrayList<>() : null;
    }

    boolean replaying() {
        return waiting != null;
    }

    void hold(RecordPosition position, Delivery delivery) {
        waiting.add(new Waiting(position, delivery));
    }

    /** Ends the replay: the held live deliveries, in the order they came. */
    List<Waiting> release() {
        var held = waiting;
        waiting = null;
        return held;
    }

    /** Moves the cursor to {@code position}; false when the record was already delivered (or skipped) before. */
    boolean advance(RecordPosition position) {
        String key = position.partitionKey();
        Long last = positions.get(key);
        if (last != null && position.offset() <= last) {
            return false;
        }
        positions.put(key, position.offset());
        timestamp = Math.max(timestamp, position.timestamp());
        return true;
    }

    boolean firstTime(String dedupKey) {
        return delivered.firstTime(dedupKey);
    }

    boolean hasSeen(String dedupKey) {
        return delivered.contains(dedupKey);
    }

    String partialDelta(String itemId, String text) {
        if (transcribed.contains(itemId)) {
            return null;
        }
        String previous = partials.put(itemId, text);
        return previous != null && text.startsWith(previous) ? text.substring(previous.length()) : text;
    }

    void itemTranscribed(String itemId) {
        transcribed.firstTime(itemId);
        partials.remove(itemId);
    }

    Cursor cursor() {
        return new Cursor(timestamp, positions);
    }

    /** {@code frame} (built by RealtimeJson.frame, {@code event_id} first) with the current cursor as its event id. */
    String stamped(String frame) {
        return "{\"event_id\":\"" + Cursor.encode(timestamp, positions) + frame.substring(frame.indexOf('"',
                EVENT_ID_PREFIX));
    }
}
