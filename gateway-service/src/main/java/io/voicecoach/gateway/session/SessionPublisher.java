package io.voicecoach.gateway.session;

import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.ItemTruncated;
import io.voicecoach.events.ResponseCancelRequested;
import io.voicecoach.events.ResponseRequested;
import io.voicecoach.events.SessionEnded;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.SessionUpdated;
import io.voicecoach.events.SpeechStarted;
import io.voicecoach.events.SuggestionDelivered;
import io.voicecoach.events.Transcript;
import io.voicecoach.gateway.failover.SessionSnapshots;
import io.voicecoach.gateway.tracing.RealtimeTraces;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Publishes a session's events, keyed by session id, with the session's tenant and sequence. Guarantees that
 * {@code session.started} is acknowledged before any other event of the session is sent, and that
 * {@code session.ended} follows the transcripts in flight. Events that another instance may publish again after a
 * failover carry name-based event ids ({@link #derivedId}): {@code session.ended}, {@code suggestion.delivered} and
 * typed text with a client item id, so consumers drop the repeat.
 */
@ApplicationScoped
public class SessionPublisher {

    static final String LANGUAGE = "en-US";

    private final MutinyEmitter<String> sessions;
    private final MutinyEmitter<String> transcripts;
    private final SessionSnapshots snapshots;
    private final String producer;

    public SessionPublisher(@Channel("sessions-out") MutinyEmitter<String> sessions,
                            @Channel("transcripts-out") MutinyEmitter<String> transcripts,
                            SessionSnapshots snapshots,
                            @ConfigProperty(name = "quarkus.application.name") String producer) {
        this.sessions = sessions;
        this.transcripts = transcripts;
        this.snapshots = snapshots;
        this.producer = producer;
    }

    /** A name-based event id: the same for every instance that publishes the same fact. */
    public static UUID derivedId(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Publishes {@code session.started} the first time it is called for a session; once Kafka took it, the session's
     * snapshot says so (an instance that takes the session over does not start it again).
     */
    public Uni<Void> ensureStarted(RealtimeSession session) {
        return session.publication().startOnce(() -> {
            var settings = session.settings();
            var voicecoach = settings.voicecoach();
            var format = settings.inputFormat();
            var started = new SessionStarted(voicecoach.mode(), voicecoach.callId(), voicecoach.repId(),
                    settings.tracks(), LANGUAGE, format.type() + ";rate=" + format.rate(), voicecoach.metadata());
            return send(sessions, session, EventTypes.SESSION_STARTED, started);
        }, () -> snapshots.write(session));
    }

    /**
     * A transcript of typed text; with a client-given item id its event id is {@code <session>/<item>/final}
     * (the one transcription uses for speech), so an item a client sends again after a reconnect is dropped downstream.
     * {@code trace}: the item's trace, which the record carries on (null for none).
     */
    public Uni<Void> transcript(RealtimeSession session, Transcript transcript, boolean clientItemId, Context trace) {
        String type = transcript.isFinal() ? EventTypes.TRANSCRIPT_FINAL : EventTypes.TRANSCRIPT_PARTIAL;
        var eventId = clientItemId && transcript.isFinal()
                ? derivedId(session.id() + "/" + transcript.utteranceId() + "/final") : UUID.randomUUID();
        return session.publication().published(ensureStarted(session).chain(() -> send(transcripts, session, eventId,
                type, transcript, trace)));
    }

    /** {@code session.updated}, after {@code session.started} and every event of the session sent before it. */
    public Uni<Void> updated(RealtimeSession session, SessionUpdated updated) {
        return sessionEvent(session, EventTypes.SESSION_UPDATED, updated);
    }

    public Uni<Void> responseRequested(RealtimeSession session, ResponseRequested requested) {
        return sessionEvent(session, EventTypes.RESPONSE_REQUESTED, requested);
    }

    public Uni<Void> responseCancelRequested(RealtimeSession session, ResponseCancelRequested requested) {
        return sessionEvent(session, EventTypes.RESPONSE_CANCEL_REQUESTED, requested);
    }

    public Uni<Void> speechStarted(RealtimeSession session, SpeechStarted speechStarted) {
        return sessionEvent(session, EventTypes.SPEECH_STARTED, speechStarted);
    }

    /**
     * A change the client made to its conversation ({@code item.created|deleted|truncated}); its event id is
     * {@code <session>/<item>/<what>}, so the same change sent again after a reconnect is dropped downstream (a
     * second truncate of an item gets its own id: {@code audioEndMs} is part of it).
     */
    public Uni<Void> conversationChanged(RealtimeSession session, String type, String itemId, Object payload) {
        String what = payload instanceof ItemTruncated truncated ? type + "/" + truncated.audioEndMs() : type;
        var eventId = derivedId(session.id() + "/" + itemId + "/" + what);
        return session.publication().published(ensureStarted(session).chain(() -> send(sessions, session, eventId,
                type, payload)));
    }

    private Uni<Void> sessionEvent(RealtimeSession session, String type, Object payload) {
        return session.publication().published(ensureStarted(session).chain(() -> send(sessions, session, type,
                payload)));
    }

    /**
     * {@code session.ended}, only for a session that started, after the session's other events. Its event id is
     * {@code <session>/ended}: whichever instance ends the session, a second copy is dropped.
     */
    public Uni<Void> ended(RealtimeSession session, String reason) {
        if (!session.publication().startRequested()) {
            return Uni.createFrom().voidItem();
        }
        long durationMs = Duration.between(session.openedAt(), Instant.now()).toMillis();
        return session.publication().settled()
                .chain(() -> ensureStarted(session))
                .chain(() -> send(sessions, session, endedId(session.id()), EventTypes.SESSION_ENDED,
                        new SessionEnded(reason, durationMs)));
    }

    /** {@code session.ended} of a session no instance holds any more (see {@link #ended}). */
    public Uni<Void> ended(SessionSnapshot orphan, String reason) {
        return Uni.createFrom().deferred(() -> {
            long durationMs = Duration.between(orphan.openedAt(), Instant.now()).toMillis();
            var envelope = new Envelope(endedId(orphan.sessionId()), EventTypes.SESSION_ENDED, Envelope.SCHEMA_VERSION,
                    orphan.tenantId(), orphan.sessionId(), orphan.seq() + 1, Instant.now(), producer,
                    EventJson.tree(new SessionEnded(reason, durationMs)));
            return sessions.sendMessage(KafkaRecord.of(orphan.sessionId(), EventJson.encode(envelope)));
        });
    }

    private static UUID endedId(String sessionId) {
        return derivedId(sessionId + "/ended");
    }

    /** A suggestion's receipt; its id is derived from the suggestion and the receiving session (a replay repeats it). */
    public Uni<Void> delivered(RealtimeSession session, SuggestionDelivered delivered) {
        return ensureStarted(session).chain(() -> send(sessions, session, receiptId(session.id(), session.id(),
                delivered), EventTypes.SUGGESTION_DELIVERED, delivered));
    }

    /**
     * A delivery receipt for a suggestion of another session of the same call held by another instance, written to
     * the rep's session {@code via}: keyed and addressed by the suggestion's session, numbered by {@code via}.
     */
    public Uni<Void> deliveredFor(String sessionId, RealtimeSession via, SuggestionDelivered delivered) {
        return Uni.createFrom().deferred(() -> {
            var envelope = new Envelope(receiptId(sessionId, via.id(), delivered), EventTypes.SUGGESTION_DELIVERED,
                    Envelope.SCHEMA_VERSION, via.tenantId(), sessionId, via.publication().nextSeq(), Instant.now(),
                    producer, EventJson.tree(delivered));
            return sessions.sendMessage(KafkaRecord.of(sessionId, EventJson.encode(envelope)));
        });
    }

    private static UUID receiptId(String sessionId, String receiverId, SuggestionDelivered delivered) {
        return derivedId(sessionId + "/" + delivered.suggestionId() + "/delivered/" + receiverId);
    }

    private Uni<Void> send(MutinyEmitter<String> emitter, RealtimeSession session, String type, Object payload) {
        return send(emitter, session, UUID.randomUUID(), type, payload);
    }

    private Uni<Void> send(MutinyEmitter<String> emitter, RealtimeSession session, UUID eventId, String type,
                           Object payload) {
        return send(emitter, session, eventId, type, payload, null);
    }

    private Uni<Void> send(MutinyEmitter<String> emitter, RealtimeSession session, UUID eventId, String type,
                           Object payload, Context trace) {
        return Uni.createFrom().deferred(() -> {
            var envelope = new Envelope(eventId, type, Envelope.SCHEMA_VERSION, session.tenantId(), session.id(),
                    session.publication().nextSeq(), Instant.now(), producer, EventJson.tree(payload));
            return emitter.sendMessage(RealtimeTraces.traced(KafkaRecord.of(session.id(), EventJson.encode(envelope)),
                    trace));
        });
    }
}
