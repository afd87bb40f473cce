package io.voicecoach.transcription.audio;

import io.voicecoach.events.LogText;
import io.voicecoach.events.TranscriptFailed;
import io.voicecoach.transcription.session.SessionStates;
import io.voicecoach.transcription.stt.EngineSelector;
import io.voicecoach.transcription.transcript.TranscriptPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An utterance that asks for an engine its tenant may not use or this instance does not have is decoded by the tenant's
 * default engine, and the session gets one {@code transcript.failed} ({@code engine_not_allowed} or
 * {@code engine_unavailable}, no utterance) per engine name. Its event id is derived from session and name, so the
 * report another instance or a replay publishes again is the same event.
 */
@ApplicationScoped
public class EngineRefusals {

    private static final Logger LOG = Logger.getLogger(EngineRefusals.class);

    private final SessionStates sessions;
    private final EngineSelector engines;
    private final TranscriptPublisher publisher;

    public EngineRefusals(SessionStates sessions, EngineSelector engines, TranscriptPublisher publisher) {
        this.sessions = sessions;
        this.engines = engines;
        this.publisher = publisher;
    }

    /** Completes when the report is on the broker, at once when this session's report of the name was sent before. */
    CompletionStage<Void> report(String tenantId, String sessionId, int partition, Decodings.Plan plan) {
        String requested = plan.refusedEngine();
        if (!sessions.firstRefusal(tenantId, sessionId, partition, requested)) {
            return CompletableFuture.completedFuture(null);
        }
        String reason = EngineSelector.NOT_ALLOWED.equals(plan.refusalCode()) ? "is not allowed for this tenant"
                : "is not available here (enabled: " + engines.names() + ")";
        String serving = plan.engine().name();
        LOG.warnf("session %s of tenant %s: transcription engine '%s' %s; the session stays on %s", sessionId, tenantId,
                LogText.of(requested), reason, serving);
        return publisher.publishFailure(tenantId, sessionId, sessions.nextTranscriptSeq(tenantId, sessionId, partition),
                TranscriptPublisher.failureId(sessionId, "engine/" + requested),
                new TranscriptFailed(null, null, plan.refusalCode(),
                        "transcription engine '" + requested + "' " + reason + "; the session stays on " + serving,
                        requested));
    }
}
