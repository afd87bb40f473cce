package io.voicecoach.gateway.session;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One client session on this instance, in four parts: its {@link SessionSettings} (an immutable snapshot, replaced
 * whole by {@code session.update}), its {@link ClientConnection} (channel, what the client was sent, replay, drop and
 * idle state), its {@link Publication} state on Kafka (sequence, {@code session.started}, what was announced) and its
 * {@link Conversation} (item chain, reply in progress). Client frames of a session are handled one at a time; fan-out
 * consumers only read the immutable identity and the settings and hand records to the connection.
 */
public final class RealtimeSession {

    private final String id;
    private final String tenantId;
    private final Instant openedAt;
    private volatile SessionSettings settings;
    private final ClientConnection client;
    private final Publication publication;
    private final Conversation conversation;
    private final SpokenItems spoken = new SpokenItems();
    private volatile SessionOpener opener;

    RealtimeSession(String id, String tenantId, Instant openedAt, ClientChannel channel, int idCapacity,
                    SessionSettings settings) {
        this(id, tenantId, openedAt, channel, idCapacity, settings, ConversationLimits.DEFAULT);
    }

    RealtimeSession(String id, String tenantId, Instant openedAt, ClientChannel channel, int idCapacity,
                    SessionSettings settings, ConversationLimits limits) {
        this(id, tenantId, openedAt, settings, channel, idCapacity, 0, new Publication(),
                new Conversation(List.of(), null, limits.maxItems(), limits.maxChars()));
    }

    private RealtimeSession(String id, String tenantId, Instant openedAt, SessionSettings settings,
                            ClientChannel channel, int idCapacity, int epoch, Publication publication,
                            Conversation conversation) {
        this.id = id;
        this.tenantId = tenantId;
        this.openedAt = openedAt;
        this.settings = settings;
        this.client = new ClientConnection(this, channel, idCapacity, epoch);
        this.publication = publication;
        this.conversation = conversation;
    }

    /** How much of the conversation a session keeps. */
    public record ConversationLimits(int maxItems, int maxChars) {
        public static final ConversationLimits DEFAULT = new ConversationLimits(200, 64_000);
    }

    /** The session's conversation id ({@code conversation_id} of its in-band responses). */
    public String conversationId() {
        return "conv_" + id.substring(id.indexOf('_') + 1);
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

    /** Milliseconds from the session's start to {@code at}. */
    public long offsetMillis(Instant at) {
        return Math.max(0, Duration.between(openedAt, at).toMillis());
    }

    public SessionSettings settings() {
        return settings;
    }

    /** Replaces the settings (on the connection's thread: frames of a session are handled one at a time). */
    public void configure(SessionSettings settings) {
        this.settings = settings;
    }

    /** The credential that opened the session; null for a Twilio stream or a session an older gateway opened. */
    public SessionOpener opener() {
        return opener;
    }

    /** Records who opened the session, before its first snapshot is written. */
    public void openedBy(SessionOpener opener) {
        this.opener = opener;
    }

    public ClientConnection client() {
        return client;
    }

    public Publication publication() {
        return publication;
    }

    public Conversation conversation() {
        return conversation;
    }

    /** The agent speech sent to this session from this instance (what a truncation cut). */
    public SpokenItems spoken() {
        return spoken;
    }

    /**
     * The session as {@code gateway.sessions} keeps it, built under the connection's lock (see
     * {@link io.voicecoach.gateway.failover.SessionSnapshots}).
     *
     * @param holder this instance, or null when it lets the session go (drain)
     */
    public SessionSnapshot snapshot(String holder) {
        synchronized (client) {
            var cursor = client.resumeCursor();
            String transport = VoiceCoachSettings.MEDIA.equals(settings.voicecoach().role()) ? SessionSnapshot.TWILIO
                    : SessionSnapshot.REALTIME;
            return new SessionSnapshot(id, tenantId, transport, openedAt, Instant.now(), holder, client.epoch(),
                    client.detachedAt(), settings, publication.startAcknowledged(), publication.announced(),
                    conversation.lastItemId(), publication.seq(),
                    cursor.positions().isEmpty() ? null : cursor.encode(), client.trackPositions(),
                    conversation.items(), opener);
        }
    }

    /**
     * A session of {@code snapshot} taken over from another instance: its settings and Kafka-side state, one epoch
     * higher, detached until the resuming client attaches (records meanwhile come from the replay).
     */
    static RealtimeSession restore(SessionSnapshot snapshot, ClientChannel channel, int idCapacity) {
        return restore(snapshot, channel, idCapacity, ConversationLimits.DEFAULT);
    }

    static RealtimeSession restore(SessionSnapshot snapshot, ClientChannel channel, int idCapacity,
                                   ConversationLimits limits) {
        var session = new RealtimeSession(snapshot.sessionId(), snapshot.tenantId(), snapshot.openedAt(),
                snapshot.configured(), channel, idCapacity, snapshot.epoch() + 1,
                new Publication(snapshot.seq(), snapshot.started(), snapshot.announced()),
                new Conversation(snapshot.items(), snapshot.lastItemId(), limits.maxItems(), limits.maxChars()));
        session.client.restore(snapshot);
        session.opener = snapshot.opener();
        return session;
    }
}
