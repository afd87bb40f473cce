package io.voicecoach.gateway.session;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.voicecoach.events.SessionUpdated;
import io.voicecoach.events.Track;
import io.voicecoach.gateway.audio.InputAudioFormat;
import io.voicecoach.gateway.audio.TurnDetection;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One client session on this instance: who owns it, how it is configured, and its Kafka-side state (sequence
 * numbers, whether {@code session.started} went out). Client frames of a session are handled one at a time; fan-out
 * consumers only read the immutable identity and hand records over through {@link #offer}, under the session's lock.
 * What the client was sent lives in its {@link ClientStream}, which a resume rebuilds from Kafka.
 */
public final class RealtimeSession {

    private final String id;
    private final String tenantId;
    private final Instant openedAt;
    private final int idCapacity;
    private volatile ClientChannel channel;
    private ClientStream stream;
    /** When the client's connection dropped, null while one is attached. */
    private Instant detachedAt;
    /** What the client had been sent when its connection dropped: where a resume without a cursor starts. */
    private Cursor detachCursor = Cursor.EMPTY;
    private boolean expired;
    /** Counts the takeovers of this session by another instance; the highest epoch holds the session. */
    private volatile int epoch;
    private Map<String, Long> trackPositions = Map.of();
    private volatile long lastClientFrameNanos = System.nanoTime();
    private final AtomicLong seq = new AtomicLong();
    /** Client-provided Realtime session fields (instructions, audio, ...), echoed back in session events. */
    private final ObjectNode realtimeFields = JsonNodeFactory.instance.objectNode();
    private volatile SessionSettings settings;
    private volatile InputAudioFormat inputFormat = InputAudioFormat.DEFAULT;
    private volatile TurnDetection turnDetection = TurnDetection.DEFAULT;
    private volatile List<String> tracks = List.of(Track.AGENT, Track.CUSTOMER);
    private volatile String lastItemId;
    private volatile TranscriptionOptions transcription = TranscriptionOptions.NONE;
    private volatile String activeResponseId;
    /** The settings last announced with {@code session.updated} on Kafka (compared without the mode). */
    private SessionUpdated announced = new SessionUpdated(null, null, null, List.of(), null, Map.of());
    private CompletableFuture<Void> started;
    private volatile CompletableFuture<Void> lastPublish = CompletableFuture.completedFuture(null);

    RealtimeSession(String id, String tenantId, Instant openedAt, ClientChannel channel, int idCapacity) {
        this.id = id;
        this.tenantId = tenantId;
        this.openedAt = openedAt;
        this.channel = channel;
        this.idCapacity = idCapacity;
        this.stream = new ClientStream(Cursor.EMPTY, idCapacity, false);
        this.settings = SessionSettings.defaults(id);
    }

    public String id() {
        return id;
    }

    public String tenantId() {
        return tenantId;
    }

    public Instant openedAt() {
        return openedAt;
    }

    public SessionSettings settings() {
        return settings;
    }

    /** A copy of the client-provided Realtime session fields. */
    public ObjectNode realtimeFields() {
        return realtimeFields.deepCopy();
    }

    /** Takes the client's Realtime session fields over (top level replaces), except those the gateway owns. */
    public void mergeRealtimeFields(ObjectNode update, java.util.Set<String> gatewayOwned) {
        update.properties().forEach(field -> {
            if (!gatewayOwned.contains(field.getKey())) {
                realtimeFields.set(field.getKey(), field.getValue());
            }
        });
    }

    /** The client's {@code instructions}, null if it set none. */
    public String instructions() {
        var instructions = realtimeFields.get("instructions");
        return instructions != null && instructions.isTextual() ? instructions.textValue() : null;
    }

    public void configure(SessionSettings settings) {
        this.settings = settings;
    }

    /** How appended audio is encoded. */
    public InputAudioFormat inputFormat() {
        return inputFormat;
    }

    /** Server VAD settings, or null when the client commits its audio itself. */
    public TurnDetection turnDetection() {
        return turnDetection;
    }

    public void configureAudio(InputAudioFormat format, TurnDetection turnDetection) {
        this.inputFormat = format;
        this.turnDetection = turnDetection;
    }

    /** The speaker tracks this session carries, announced in {@code session.started}. */
    public List<String> tracks() {
        return tracks;
    }

    public void carriesTracks(List<String> tracks) {
        this.tracks = List.copyOf(tracks);
    }

    public String lastItemId() {
        return lastItemId;
    }

    public void itemAdded(String itemId) {
        this.lastItemId = itemId;
    }

    /** Milliseconds from the session's start to {@code at}. */
    public long offsetMillis(Instant at) {
        return Math.max(0, Duration.between(openedAt, at).toMillis());
    }

    public long nextSeq() {
        return seq.incrementAndGet();
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

    /** The item's final transcript (or failure) arrived; forget its partials and drop later ones. */
    public synchronized void itemTranscribed(String itemId) {
        stream.itemTranscribed(itemId);
    }

    public TranscriptionOptions transcription() {
        return transcription;
    }

    public void configureTranscription(TranscriptionOptions transcription) {
        this.transcription = transcription;
    }

    /** The voice agent's reply in progress (from {@code response.create} or {@code agent.response.created}), or null. */
    public String activeResponseId() {
        return activeResponseId;
    }

    public void responseActive(String responseId) {
        this.activeResponseId = responseId;
    }

    /** Forgets the active reply if it is {@code responseId}. */
    public void responseEnded(String responseId) {
        if (responseId != null && responseId.equals(activeResponseId)) {
            activeResponseId = null;
        }
    }

    /**
     * True (and remembered) when {@code update} differs from the settings last announced on Kafka; the mode is not
     * compared since it cannot change once the session started.
     */
    public synchronized boolean announce(SessionUpdated update) {
        var comparable = new SessionUpdated(announced.mode(), update.transcriptionEngine(), update.language(),
                update.phrases(), update.instructions(), update.metadata());
        if (comparable.equals(announced)) {
            return false;
        }
        announced = comparable;
        return true;
    }

    /**
     * Runs {@code publish} (the {@code session.started} event) once; later callers get the same outcome. A failed
     * publish is retried by the next caller. {@code onAcknowledged} runs once Kafka took it.
     */
    public synchronized Uni<Void> startOnce(Supplier<Uni<Void>> publish, Runnable onAcknowledged) {
        if (started == null || started.isCompletedExceptionally()) {
            started = publish.get().subscribeAsCompletionStage();
            started.thenRun(onAcknowledged);
        }
        return Uni.createFrom().completionStage(started);
    }

    /** True once Kafka acknowledged {@code session.started}. */
    public synchronized boolean startAcknowledged() {
        return started != null && started.isDone() && !started.isCompletedExceptionally();
    }

    /** True once {@code session.started} was (or is being) published. */
    public synchronized boolean startRequested() {
        return started != null && !started.isCompletedExceptionally();
    }

    /** Remembers the latest event publication, so {@code session.ended} can follow everything sent before it. */
    public Uni<Void> published(Uni<Void> publication) {
        var stage = publication.subscribeAsCompletionStage();
        lastPublish = stage;
        return Uni.createFrom().completionStage(stage);
    }

    /** Completes (successfully) once the latest publication settled, whatever its outcome. */
    public Uni<Void> publicationsSettled() {
        return Uni.createFrom().completionStage(lastPublish.handle((ok, failure) -> null));
    }

    public Uni<Void> send(String frame) {
        return channel.send(frame);
    }

    public boolean isOpen() {
        return channel.isOpen();
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
            delivery.frame().apply(this);
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
        String frame = delivery.frame().apply(this);
        if (frame == null) {
            return;
        }
        var onWritten = delivery.onWritten();
        channel.send(stream.stamped(frame)).subscribe().with(ok -> onWritten.run(), failure -> { });
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

    /** The cursor of the attached client's stream (what it has been sent). */
    public synchronized Cursor cursor() {
        return stream.cursor();
    }

    public int epoch() {
        return epoch;
    }

    /** Where each audio track had got to, as last read on the connection's thread (kept in snapshots). */
    public synchronized void trackPositions(Map<String, Long> positionsMs) {
        this.trackPositions = Map.copyOf(positionsMs);
    }

    public synchronized Map<String, Long> trackPositions() {
        return trackPositions;
    }

    /**
     * The session as {@code gateway.sessions} keeps it.
     *
     * @param holder this instance, or null when it lets the session go (drain)
     */
    public synchronized SessionSnapshot snapshot(String holder) {
        var cursor = detachedAt != null ? detachCursor : stream.cursor();
        String transport = SessionSettings.MEDIA.equals(settings.role()) ? SessionSnapshot.TWILIO
                : SessionSnapshot.REALTIME;
        return new SessionSnapshot(id, tenantId, transport, openedAt, Instant.now(), holder, epoch, detachedAt,
                settings, realtimeFields.deepCopy(), inputFormat, turnDetection, transcription, tracks,
                startAcknowledged(), announced, lastItemId, seq.get(), cursor.positions().isEmpty() ? null
                : cursor.encode(), trackPositions);
    }

    /**
     * A session of {@code snapshot} taken over from another instance: its settings and Kafka-side state, one epoch
     * higher, detached until the resuming client attaches (records meanwhile come from the replay).
     */
    static RealtimeSession restore(SessionSnapshot snapshot, ClientChannel channel, int idCapacity) {
        var session = new RealtimeSession(snapshot.sessionId(), snapshot.tenantId(), snapshot.openedAt(), channel,
                idCapacity);
        session.settings = snapshot.settings();
        if (snapshot.realtime() != null) {
            session.realtimeFields.setAll(snapshot.realtime());
        }
        session.inputFormat = snapshot.inputFormat() != null ? snapshot.inputFormat() : InputAudioFormat.DEFAULT;
        session.turnDetection = snapshot.turnDetection();
        session.transcription = snapshot.transcription() != null ? snapshot.transcription()
                : TranscriptionOptions.NONE;
        if (!snapshot.tracks().isEmpty()) {
            session.tracks = snapshot.tracks();
        }
        session.lastItemId = snapshot.lastItemId();
        if (snapshot.announced() != null) {
            session.announced = snapshot.announced();
        }
        session.seq.set(snapshot.seq());
        if (snapshot.started()) {
            session.started = CompletableFuture.completedFuture(null);
        }
        session.epoch = snapshot.epoch() + 1;
        session.detachedAt = snapshot.detachedAt() != null ? snapshot.detachedAt() : Instant.now();
        session.detachCursor = Cursor.parse(snapshot.cursor()).orElse(Cursor.EMPTY);
        session.trackPositions = snapshot.trackPositionsMs();
        return session;
    }

    public ClientChannel channel() {
        return channel;
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
