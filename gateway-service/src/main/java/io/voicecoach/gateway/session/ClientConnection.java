package io.voicecoach.gateway.session;

import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The client side of a session: the channel it is attached through, what that attachment has been sent (its
 * {@link ClientStream}: cursor, ids delivered, the replay in progress), when the client dropped, which takeover of the
 * session this is, and how long the client has been silent. Fan-out consumers hand records over through
 * {@link #offer}; everything here is guarded by this object's lock, which snapshots are built under too.
 */
public final class ClientConnection {

    private final RealtimeSession session;
    private final int idCapacity;
    private volatile ClientChannel channel;
    private ClientStream stream;
    /** When the client's connection dropped, null while one is attached. */
    private Instant detachedAt;
    /** What the client had been sent when its connection dropped: where a resume without a cursor starts. */
    private Cursor detachCursor = Cursor.EMPTY;
    private boolean expired;
    /** Counts the takeovers of this session by another instance; the highest epoch holds the session. */
    private final int epoch;
    private Map<String, Long> trackPositions = Map.of();
    private volatile long lastClientFrameNanos = System.nanoTime();

    ClientConnection(RealtimeSession session, ClientChannel channel, int idCapacity, int epoch) {
        this.session = session;
        this.channel = channel;
        this.idCapacity = idCapacity;
        this.epoch = epoch;
        this.stream = new ClientStream(Cursor.EMPTY, idCapacity, false);
    }

    /** Taken over from a snapshot: detached (since the snapshot's drop, else now) until a client resumes. */
    synchronized void restore(SessionSnapshot snapshot) {
        detachedAt = snapshot.detachedAt() != null ? snapshot.detachedAt() : Instant.now();
        detachCursor = Cursor.parse(snapshot.cursor()).orElse(Cursor.EMPTY);
        trackPositions = snapshot.trackPositionsMs();
    }

    public Uni<Void> send(String frame) {
        return channel.send(frame);
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    public ClientChannel channel() {
        return channel;
    }

    public int epoch() {
        return epoch;
    }

    /** True when a delivery with this key (e.g. a suggestion id) already reached the client's stream. */
    public synchronized boolean hasSeen(String dedupKey) {
        return stream.hasSeen(dedupKey);
    }

    /**
     * Text to append for a partial transcript of an item: the new suffix when the engine sends the growing hypothesis,
     * else the whole text; null when the item's transcription is already done (a late partial).
     */
    public synchronized String partialDelta(String itemId, String text) {
        return stream.partialDelta(itemId, text);
    }

    /**
     * What this attachment has been shown of the voice agent's replies in progress. Only for the frame builders of a
     * {@link Delivery}, which run under this object's lock.
     */
    public synchronized ReplyProgress replies() {
        return stream.replies();
    }

    /** The item's final transcript (or failure) arrived; forget its partials and drop later ones. */
    public synchronized void itemTranscribed(String itemId) {
        stream.itemTranscribed(itemId);
    }

    /**
     * A fan-out record for this session's client. Delivered at once when a client is attached (the frame's
     * {@code event_id} is the stream's cursor after it); held while a resume replays; dropped while nobody is
     * attached, since the resume that follows replays it from Kafka.
     */
    public synchronized void offer(RecordPosition position, Delivery delivery) {
        if (detachedAt != null) {
            return;
        }
        if (stream.replaying()) {
            stream.hold(position, delivery);
            return;
        }
        deliver(position, delivery);
    }

    /** A record the resumed client already has (at or before its cursor): its effect on the stream, no frame. */
    public synchronized void learned(ClientStream token, Delivery delivery) {
        if (token == stream && detachedAt == null && stream.firstTime(delivery.dedupKey())) {
            delivery.frames().apply(session);
        }
    }

    /** A record after the resumed client's cursor, read from Kafka: delivered now, in replay order. */
    public synchronized void replayed(ClientStream token, RecordPosition position, Delivery delivery) {
        if (token == stream && detachedAt == null) {
            deliver(position, delivery);
        }
    }

    /** The replay is over: the live records held meanwhile follow, those the replay delivered are skipped. */
    public synchronized void replayDone(ClientStream token) {
        if (token != stream || !stream.replaying()) {
            return;
        }
        for (var waiting : stream.release()) {
            if (detachedAt == null) {
                deliver(waiting.position(), waiting.delivery());
            }
        }
    }

    private void deliver(RecordPosition position, Delivery delivery) {
        if (!stream.advance(position) || !stream.firstTime(delivery.dedupKey())) {
            return;
        }
        int had = stream.alreadyDelivered(position);
        var frames = delivery.frames().apply(session);
        if (frames.size() <= had) {
            return;
        }
        var stamped = stream.stamped(position, frames, had);
        for (int i = 0; i < stamped.size() - 1; i++) {
            channel.send(stamped.get(i)).subscribe().with(ok -> { }, failure -> { });
        }
        var onWritten = delivery.onWritten();
        channel.send(stamped.getLast()).subscribe().with(ok -> onWritten.run(), failure -> { });
    }

    /** A client (re)attaches: its channel, the stream that a replay from {@code from} fills. */
    public record Attachment(ClientChannel previous, ClientStream stream) {
    }

    /**
     * Attaches a resuming client's channel: {@code greeting} first, then a new stream that replays from {@code from}
     * (the client's cursor, else {@link #detachCursor()}) and, until {@link #replayDone}, holds live records.
     *
     * @return the channel it replaces (still open if the old connection had not noticed the drop) and the new
     * stream; null when the session has ended
     */
    public synchronized Attachment attach(ClientChannel resumed, String greeting, Cursor from) {
        if (expired) {
            return null;
        }
        var previous = channel;
        channel = resumed;
        detachedAt = null;
        stream = new ClientStream(from, idCapacity, true);
        touch();
        resumed.send(greeting).subscribe().with(ok -> { }, failure -> { });
        return new Attachment(previous, stream);
    }

    /** The connection behind {@code from} dropped; false when another connection has taken the session over. */
    public synchronized boolean detach(ClientChannel from) {
        if (channel != from || detachedAt != null) {
            return false;
        }
        detachedAt = Instant.now();
        detachCursor = stream.cursor();
        return true;
    }

    public synchronized boolean isAttachedTo(ClientChannel candidate) {
        return detachedAt == null && channel == candidate;
    }

    /** True (once) when the client dropped before {@code cutoff} and did not come back: the session is over. */
    public synchronized boolean expireIfDetachedBefore(Instant cutoff) {
        if (expired || detachedAt == null || !detachedAt.isBefore(cutoff)) {
            return false;
        }
        expired = true;
        return true;
    }

    /** When the client's connection dropped, null while one is attached. */
    public synchronized Instant detachedAt() {
        return detachedAt;
    }

    /** Where a resume without a cursor starts: what the client had been sent when it dropped. */
    public synchronized Cursor detachCursor() {
        return detachCursor;
    }

    /** What a snapshot records as the client's position: at the drop while detached, else what it has been sent. */
    synchronized Cursor resumeCursor() {
        return detachedAt != null ? detachCursor : stream.cursor();
    }

    /** Where each audio track had got to, as last read on the connection's thread (kept in snapshots). */
    public synchronized void trackPositions(Map<String, Long> positionsMs) {
        this.trackPositions = Map.copyOf(positionsMs);
    }

    public synchronized Map<String, Long> trackPositions() {
        return trackPositions;
    }

    /** Notes a frame from the client (for the idle timeout). */
    public void touch() {
        lastClientFrameNanos = System.nanoTime();
    }

    /** How long the client has sent nothing. */
    public Duration idleFor() {
        return Duration.ofNanos(System.nanoTime() - lastClientFrameNanos);
    }
}
