package io.voicecoach.gateway.session;

import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.voicecoach.events.Event;
import io.voicecoach.events.EventRegistry;
import io.voicecoach.events.ItemTruncated;
import io.voicecoach.events.Payload;
import io.voicecoach.events.ResponseCancelRequested;
import io.voicecoach.events.ResponseRequested;
import io.voicecoach.events.SessionEnded;
import io.voicecoach.events.SessionEvent;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.SessionUpdated;
import io.voicecoach.events.SpeechStarted;
import io.voicecoach.events.SuggestionDelivered;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Transcript;
import io.voicecoach.events.TranscriptEvent;
import io.voicecoach.gateway.failover.SessionSnapshots;
import io.voicecoach.platform.events.EventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Publishes a session's events through the platform's {@link EventPublisher} (keyed by session id, typed envelope),
 * with the session's tenant and sequence. Guarantees that
 * {@code session.started} is acknowledged before any other event of the session is sent, and that
 * {@code session.ended} follows the transcripts in flight. Events that another instance may publish again after a
 * failover carry name-based event ids ({@link #derivedId}): {@code session.ended}, {@code suggestion.delivered} and
 * typed text with a client item id, so consumers drop the repeat.
 */
@ApplicationScoped
public class SessionPublisher {

    static final String LANGUAGE = "en-US";

    private final EventPublisher<SessionEvent> sessions;
    private final EventPublisher<TranscriptEvent> transcripts;
    private final SessionSnapshots snapshots;

    public SessionPublisher(@Channel("sessions-out") Emitter<Event<?>> sessions,
                            @Channel("transcripts-out") Emitter<Event<?>> transcripts,
                            SessionSnapshots snapshots,
                            @ConfigProperty(name = "quarkus.application.name") String producer) {
        this.sessions = new EventPublisher<>(Topics.SESSIONS, sessions, producer);
        this.transcripts = new EventPublisher<>(Topics.TRANSCRIPTS, transcripts, producer);
        this.snapshots = snapshots;
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
            return send(sessions, session, UUID.randomUUID(), started, null);
        }, () -> snapshots.write(session));
    }

    /**
     * A transcript of typed text; with a client-given item id its event id is {@code <session>/<item>/final}
     * (the one transcription uses for speech), so an item a client sends again after a reconnect is dropped downstream.
     * {@code trace}: the item's trace, which the record carries on (null for none).
     */
    public Uni<Void> transcript(RealtimeSession session, Transcript transcript, boolean clientItemId, Context trace) {
        var eventId = clientItemId && transcript.isFinal()
                ? derivedId(session.id() + "/" + transcript.utteranceId() + "/final") : UUID.randomUUID();
        return session.publication().published(ensureStarted(session).chain(() -> send(transcripts, session, eventId,
                transcript, trace)));
    }

    /** {@code session.updated}, after {@code session.started} and every event of the session sent before it. */
    public Uni<Void> updated(RealtimeSession session, SessionUpdated updated) {
        return sessionEvent(session, updated);
    }

    public Uni<Void> responseRequested(RealtimeSession session, ResponseRequested requested) {
        return sessionEvent(session, requested);
    }

    public Uni<Void> responseCancelRequested(RealtimeSession session, ResponseCancelRequested requested) {
        return sessionEvent(session, requested);
    }

    public Uni<Void> speechStarted(RealtimeSession session, SpeechStarted speechStarted) {
        return sessionEvent(session, speechStarted);
    }

    /**
     * A change the client made to its conversation ({@code item.created|deleted|truncated}); its event id is
     * {@code <session>/<item>/<what>}, so the same change sent again after a reconnect is dropped downstream (a
     * second truncate of an item gets its own id: {@code audioEndMs} is part of it).
     */
    public Uni<Void> conversationChanged(RealtimeSession session, String itemId, SessionEvent payload) {
        String type = EventRegistry.typeOf(payload).name();
        String what = payload instanceof ItemTruncated truncated ? type + "/" + truncated.audioEndMs() : type;
        var eventId = derivedId(session.id() + "/" + itemId + "/" + what);
        return session.publication().published(ensureStarted(session).chain(() -> send(sessions, session, eventId,
                payload, null)));
    }

    private Uni<Void> sessionEvent(RealtimeSession session, SessionEvent payload) {
        return session.publication().published(ensureStarted(session).chain(() -> send(sessions, session,
                UUID.randomUUID(), payload, null)));
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
                .chain(() -> send(sessions, session, endedId(session.id()), new SessionEnded(reason, durationMs),
                        null));
    }

    /** {@code session.ended} of a session no instance holds any more (see {@link #ended}). */
    public Uni<Void> ended(SessionSnapshot orphan, String reason) {
        return Uni.createFrom().deferred(() -> {
            long durationMs = Duration.between(orphan.openedAt(), Instant.now()).toMillis();
            return send(sessions, orphan.tenantId(), orphan.sessionId(), () -> orphan.seq() + 1,
                    endedId(orphan.sessionId()), new SessionEnded(reason, durationMs), null);
        });
    }

    private static UUID endedId(String sessionId) {
        return derivedId(sessionId + "/ended");
    }

    /** A suggestion's receipt; its id is derived from the suggestion and the receiving session (a replay repeats it). */
    public Uni<Void> delivered(RealtimeSession session, SuggestionDelivered delivered) {
        return ensureStarted(session).chain(() -> send(sessions, session, receiptId(session.id(), session.id(),
                delivered), delivered, null));
    }

    /**
     * A delivery receipt for a suggestion of another session of the same call held by another instance, written to
     * the rep's session {@code via}: keyed and addressed by the suggestion's session, numbered by {@code via}.
     */
    public Uni<Void> deliveredFor(String sessionId, RealtimeSession via, SuggestionDelivered delivered) {
        return send(sessions, via.tenantId(), sessionId, via.publication()::nextSeq,
                receiptId(sessionId, via.id(), delivered), delivered, null);
    }

    private static UUID receiptId(String sessionId, String receiverId, SuggestionDelivered delivered) {
        return derivedId(sessionId + "/" + delivered.suggestionId() + "/delivered/" + receiverId);
    }

    private static <F extends Payload, P extends F> Uni<Void> send(EventPublisher<F> publisher,
                                                                  RealtimeSession session, UUID eventId, P payload,
                                                                  Context trace) {
        return send(publisher, session.tenantId(), session.id(), session.publication()::nextSeq, eventId, payload,
                trace);
    }

    /**
     * Publishes when subscribed, numbered then by {@code seq}; {@code trace} (null: the caller's current context) is
     * the record's trace parent. Completes once Kafka took the record.
     */
    private static <F extends Payload, P extends F> Uni<Void> send(EventPublisher<F> publisher, String tenantId,
                                                                  String sessionId, LongSupplier seq, UUID eventId,
                                                                  P payload, Context trace) {
        return Uni.createFrom().completionStage(() -> {
            if (trace == null) {
                return publisher.publish(tenantId, sessionId, seq.getAsLong(), eventId, payload);
            }
            try (var scope = trace.makeCurrent()) {
                return publisher.publish(tenantId, sessionId, seq.getAsLong(), eventId, payload);
            }
        }).replaceWithVoid();
    }
}
