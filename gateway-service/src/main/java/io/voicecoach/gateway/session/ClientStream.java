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

    private static final String STAMPED_FRAME = "{\"event_id\":\"";
    private static final int EVENT_ID_PREFIX = STAMPED_FRAME.length();

    private final TreeMap<String, Long> positions;
    private long timestamp;
    private final RecentIds delivered;
    private final RecentIds transcribed;
    private final Map<String, String> partials = new HashMap<>();
    private final ReplyProgress replies = new ReplyProgress();
    private List<Waiting> waiting;
    /** The record the client had only in part ({@link Cursor#partialKey()}): its frames up to this count are skipped. */
    private String skipKey;
    private long skipOffset;
    private int skipFrames;

    /** A live delivery held while the stream replays. */
    record Waiting(RecordPosition position, Delivery delivery) {
    }

    ClientStream(Cursor from, int idCapacity, boolean replaying) {
        this.positions = new TreeMap<>(from.positions());
        this.timestamp = from.timestamp();
        if (from.partialKey() != null) {
            // the record the client had in part is delivered again, without the frames it had
            skipKey = from.partialKey();
            skipOffset = positions.get(skipKey);
            skipFrames = from.partialFrames();
            if (skipOffset == 0) {
                positions.remove(skipKey);
            } else {
                positions.put(skipKey, skipOffset - 1);
            }
        }
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

    ReplyProgress replies() {
        return replies;
    }

    Cursor cursor() {
        if (skipKey != null) {
            var delivered = new TreeMap<>(positions);
            delivered.put(skipKey, skipOffset);
            return new Cursor(timestamp, delivered, skipKey, skipFrames);
        }
        return new Cursor(timestamp, positions);
    }

    /** How many frames of the record at {@code position} the client already has (once: then they are skipped). */
    int alreadyDelivered(RecordPosition position) {
        if (skipKey == null || !skipKey.equals(position.partitionKey())) {
            return 0;
        }
        int frames = position.offset() == skipOffset ? skipFrames : 0;
        skipKey = null;
        return frames;
    }

    /**
     * The frames of the record just delivered at {@code position} (built by RealtimeJson.frame, {@code event_id}
     * first), from frame {@code first} on, each with its cursor as event id: the last the stream's cursor, the others
     * the record's position with the count of its frames sent so far.
     */
    List<String> stamped(RecordPosition position, List<String> frames, int first) {
        var stamped = new ArrayList<String>(frames.size() - first);
        String key = position.partitionKey();
        for (int i = first; i < frames.size(); i++) {
            String frame = frames.get(i);
            if (!frame.startsWith(STAMPED_FRAME)) { // a telephony frame (Twilio's own) carries no event id
                stamped.add(frame);
                continue;
            }
            String id = i == frames.size() - 1 ? Cursor.encode(timestamp, positions, null, 0)
                    : Cursor.encode(timestamp, positions, key, i + 1);
            stamped.add("{\"event_id\":\"" + id + frame.substring(frame.indexOf('"', EVENT_ID_PREFIX)));
        }
        return stamped;
    }
}
