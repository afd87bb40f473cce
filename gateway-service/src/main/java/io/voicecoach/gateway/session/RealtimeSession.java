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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One client session on this instance: who owns it, how it is configured, and its Kafka-side state (sequence
 * numbers, whether {@code session.started} went out). Client frames of a session are handled one at a time; fan-out
 * consumers only read the immutable identity and use the thread-safe parts.
 */
public final class RealtimeSession {

    private final String id;
    private final String tenantId;
    private final Instant openedAt;
    private volatile ClientChannel channel;
    private final ReplayBuffer replay;
    /** When the client's connection dropped, null while one is attached. */
    private Instant detachedAt;
    private long lastEntryBeforeDetach;
    private boolean expired;
    private volatile long lastClientFrameNanos = System.nanoTime();
    private final AtomicLong seq = new AtomicLong();
    private final RecentIds recentIds;
    private final Map<String, String> partialTranscripts = new ConcurrentHashMap<>();
    /** Items whose transcription completed or failed: late partials for them are dropped. */
    private final RecentIds transcribedItems;
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

    RealtimeSession(String id, String tenantId, ClientChannel channel, int recentIdCapacity, int replayCapacity) {
        this.id = id;
        this.tenantId = tenantId;
        this.channel = channel;
        this.replay = new ReplayBuffer(replayCapacity);
        this.openedAt = Instant.now();
        this.recentIds = new RecentIds(recentIdCapacity);
        this.transcribedItems = new RecentIds(recentIdCapacity);
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

    /** True the first time an event or suggestion id reaches this session. */
    public boolean firstTime(String id) {
        return recentIds.firstTime(id);
    }

    /** True when the id already reached this session (and is still among the recent ones). */
    public boolean hasSeen(String id) {
        return recentIds.contains(id);
    }

    /**
     * Text to append for a partial transcript of an item: the new suffix when the engine sends the growing hypothesis,
     * else the whole text; null when the item's transcription is already done (a late partial).
     */
    public String partialDelta(String itemId, String text) {
        if (transcribedItems.contains(itemId)) {
            return null;
        }
        String previous = partialTranscripts.put(itemId, text);
        return previous != null && text.startsWith(previous) ? text.substring(previous.length()) : text;
    }

    /** The item's final transcript (or failure) arrived; forget its partials and drop later ones. */
    public void itemTranscribed(String itemId) {
        transcribedItems.firstTime(itemId);
        partialTranscripts.remove(itemId);
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
     * publish is retried by the next caller.
     */
    public synchronized Uni<Void> startOnce(Supplier<Uni<Void>> publish) {
        if (started == null || started.isCompletedExceptionally()) {
            started = publish.get().subscribeAsCompletionStage();
        }
        return Uni.createFrom().completionStage(started);
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
     * Sends a frame a resuming client must not miss (a suggestion, a transcript event): it is kept in the replay
     * buffer and written now if a client is attached. {@code onWritten} runs once it reached the client's socket.
     */
    public synchronized void sendReplayable(String eventId, String frame, Runnable onWritten) {
        var entry = replay.add(eventId, frame, onWritten);
        if (detachedAt == null) {
            write(entry);
        }
    }

    private void write(ReplayBuffer.Entry entry) {
        channel.send(entry.frame()).subscribe().with(ok -> entry.onWritten().run(), failure -> {
        });
    }

    /**
     * Attaches a resuming client's channel: {@code greeting} first, then the replayable events after
     * {@code lastSeenEventId} (or, when it is null or no longer buffered, those sent since the connection dropped).
     *
     * @return the channel it replaces, still open if the old connection had not noticed the drop; null when the
     * resume window has closed
     */
    public synchronized ClientChannel attach(ClientChannel resumed, String greeting, String lastSeenEventId) {
        if (expired) {
            return null;
        }
        var previous = channel;
        long fallback = detachedAt != null ? lastEntryBeforeDetach : replay.last();
        channel = resumed;
        detachedAt = null;
        touch();
        resumed.send(greeting).subscribe().with(ok -> { }, failure -> { });
        replay.after(lastSeenEventId, fallback).forEach(this::write);
        return previous;
    }

    /** The connection behind {@code from} dropped; false when another connection has taken the session over. */
    public synchronized boolean detach(ClientChannel from) {
        if (channel != from || detachedAt != null) {
            return false;
        }
        detachedAt = Instant.now();
        lastEntryBeforeDetach = replay.last();
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

    /** How many replayable events were sent (or kept) for this session so far. */
    public synchronized long replayableEvents() {
        return replay.last();
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
