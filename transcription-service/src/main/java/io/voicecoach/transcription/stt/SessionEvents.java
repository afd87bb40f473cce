package io.voicecoach.transcription.stt;

import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.SessionUpdated;
import io.voicecoach.events.TranscriptFailed;
import io.voicecoach.transcription.transcript.TranscriptPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Session lifecycle and settings from {@code voice.sessions}. A session asking for an engine this instance does not
 * have stays on the engine it had and gets one {@code transcript.failed} ({@code engine_unavailable}, no utterance)
 * per engine name it asked for.
 */
@ApplicationScoped
public class SessionEvents {

    private static final Logger LOG = Logger.getLogger(SessionEvents.class);

    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private final SessionRegistry registry;
    private final EngineSelector engines;
    private final TranscriptPublisher publisher;

    public SessionEvents(SessionRegistry registry, EngineSelector engines, TranscriptPublisher publisher) {
        this.registry = registry;
        this.engines = engines;
        this.publisher = publisher;
    }

    @Incoming("sessions")
    public CompletionStage<Void> onSessionEvent(String value) {
        var event = EventJson.decode(value);
        return switch (event.type()) {
            case EventTypes.SESSION_STARTED -> started(event);
            case EventTypes.SESSION_UPDATED -> updated(event);
            case EventTypes.SESSION_ENDED -> {
                registry.ended(event.sessionId());
                yield DONE;
            }
            // other session events (delivery receipts, response requests) are not for transcription
            default -> DONE;
        };
    }

    private CompletionStage<Void> started(Envelope event) {
        var started = event.payloadAs(SessionStarted.class);
        var requested = started.metadata() == null ? null : started.metadata().get(SessionRegistry.SESSION_ENGINE);
        boolean unknown = requested != null && !requested.isBlank() && engines.find(requested).isEmpty();
        if (unknown) {
            var metadata = new HashMap<>(started.metadata());
            metadata.remove(SessionRegistry.SESSION_ENGINE);
            started = new SessionStarted(started.mode(), started.callId(), started.repId(), started.tracks(), started.language(),
                    started.audioFormat(), metadata);
        }
        registry.started(event.tenantId(), event.sessionId(), started);
        return unknown && registry.find(event.sessionId()).filter(s -> s.tenantId().equals(event.tenantId())).isPresent()
                ? refuse(event, requested) : DONE;
    }

    private CompletionStage<Void> updated(Envelope event) {
        var update = event.payloadAs(SessionUpdated.class);
        String requested = update.transcriptionEngine();
        boolean unknown = requested != null && !requested.isBlank() && engines.find(requested).isEmpty();
        var applied = unknown ? new SessionUpdated(update.mode(), null, update.language(), update.phrases(),
                update.instructions(), update.metadata()) : update;
        if (registry.updated(event.tenantId(), event.sessionId(), applied).isEmpty()) {
            LOG.warnf("ignoring session.updated %s: session %s belongs to another tenant than %s", event.eventId(),
                    event.sessionId(), event.tenantId());
            return DONE;
        }
        return unknown ? refuse(event, requested) : DONE;
    }

    private CompletionStage<Void> refuse(Envelope event, String requested) {
        var state = registry.find(event.sessionId()).orElseThrow();
        if (!state.firstRefusalOf(requested)) {
            return DONE;
        }
        String current = engines.engineFor(event.tenantId(), state.settings().get().engine()).name();
        String message = "transcription engine '" + requested + "' is not available here (enabled: " + engines.names()
                + "); the session stays on " + current;
        LOG.warnf("session %s of tenant %s: %s", event.sessionId(), event.tenantId(), message);
        return publisher.publishFailure(event.tenantId(), event.sessionId(), registry.nextTranscriptSeq(event.tenantId(), event.sessionId()),
                        TranscriptPublisher.failureId(event.sessionId(), "engine/" + requested),
                new TranscriptFailed(null, null, "engine_unavailable", message, requested));
    }
}
