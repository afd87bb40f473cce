package io.voicecoach.gateway.session;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.ResponseCancelRequested;
import io.voicecoach.events.ResponseRequested;
import io.voicecoach.events.SessionEnded;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.SessionUpdated;
import io.voicecoach.events.SpeechStarted;
import io.voicecoach.events.SuggestionDelivered;
import io.voicecoach.events.Transcript;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

import java.time.Duration;
import java.time.Instant;

/**
 * Publishes a session's events, keyed by session id, with the session's tenant and sequence. Guarantees that
 * {@code session.started} is acknowledged before any other event of the session is sent, and that
 * {@code session.ended} follows the transcripts in flight.
 */
@ApplicationScoped
public class SessionPublisher {

    static final String LANGUAGE = "en-US";

    private final MutinyEmitter<String> sessions;
    private final MutinyEmitter<String> transcripts;
    private final String producer;

    public SessionPublisher(@Channel("sessions-out") MutinyEmitter<String> sessions,
                            @Channel("transcripts-out") MutinyEmitter<String> transcripts,
                            @ConfigProperty(name = "quarkus.application.name") String producer) {
        this.sessions = sessions;
        this.transcripts = transcripts;
        this.producer = producer;
    }

    /** Publishes {@code session.started} the first time it is called for a session. */
    public Uni<Void> ensureStarted(RealtimeSession session) {
        return session.startOnce(() -> {
            var settings = session.settings();
            var format = session.inputFormat();
            var started = new SessionStarted(settings.mode(), settings.callId(), settings.repId(), session.tracks(),
                    LANGUAGE, format.type() + ";rate=" + format.rate(), settings.metadata());
            return send(sessions, session, EventTypes.SESSION_STARTED, started);
        });
    }

    public Uni<Void> transcript(RealtimeSession session, Transcript transcript) {
        String type = transcript.isFinal() ? EventTypes.TRANSCRIPT_FINAL : EventTypes.TRANSCRIPT_PARTIAL;
        return session.published(ensureStarted(session).chain(() -> send(transcripts, session, type, transcript)));
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

    private Uni<Void> sessionEvent(RealtimeSession session, String type, Object payload) {
        return session.published(ensureStarted(session).chain(() -> send(sessions, session, type, payload)));
    }

    /** {@code session.ended}, only for a session that started, after the session's other events. */
    public Uni<Void> ended(RealtimeSession session, String reason) {
        if (!session.startRequested()) {
            return Uni.createFrom().voidItem();
        }
        long durationMs = Duration.between(session.openedAt(), Instant.now()).toMillis();
        return session.publicationsSettled()
                .chain(() -> ensureStarted(session))
                .chain(() -> send(sessions, session, EventTypes.SESSION_ENDED, new SessionEnded(reason, durationMs)));
    }

    public Uni<Void> delivered(RealtimeSession session, SuggestionDelivered delivered) {
        return ensureStarted(session)
                .chain(() -> send(sessions, session, EventTypes.SUGGESTION_DELIVERED, delivered));
    }

    /**
     * A delivery receipt for a suggestion of another session of the same call held by another instance, written to
     * the rep's session {@code via}: keyed and addressed by the suggestion's session, numbered by {@code via}.
     */
    public Uni<Void> deliveredFor(String sessionId, RealtimeSession via, SuggestionDelivered delivered) {
        return Uni.createFrom().deferred(() -> {
            var envelope = Envelope.of(EventTypes.SUGGESTION_DELIVERED, via.tenantId(), sessionId, via.nextSeq(),
                    producer, delivered);
            return sessions.sendMessage(KafkaRecord.of(sessionId, EventJson.encode(envelope)));
        });
    }

    private Uni<Void> send(MutinyEmitter<String> emitter, RealtimeSession session, String type, Object payload) {
        return Uni.createFrom().deferred(() -> {
            var envelope = Envelope.of(type, session.tenantId(), session.id(), session.nextSeq(), producer, payload);
            return emitter.sendMessage(KafkaRecord.of(session.id(), EventJson.encode(envelope)));
        });
    }
}
