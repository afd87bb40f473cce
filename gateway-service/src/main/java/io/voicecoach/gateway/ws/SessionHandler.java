package io.voicecoach.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.voicecoach.events.SessionUpdated;
import io.voicecoach.gateway.failover.SessionSnapshots;
import io.voicecoach.gateway.realtime.RealtimeError;
import io.voicecoach.gateway.realtime.RealtimeJson;
import io.voicecoach.gateway.realtime.ServerEvent;
import io.voicecoach.gateway.realtime.SessionEvent;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.session.SessionPublisher;
import io.voicecoach.gateway.session.SessionSettings;
import io.voicecoach.gateway.session.VoiceCoachSettings;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code session.update}: the session's new settings, {@code session.started} the first time, {@code session.updated}
 * on Kafka when what the pipeline uses changed, a snapshot, and {@code session.updated} to the client.
 */
@ApplicationScoped
class SessionHandler implements ClientEventHandler<SessionEvent> {

    private static final Logger LOG = Logger.getLogger(SessionHandler.class);
    private static final String PROMPT_METADATA_KEY = "transcription_prompt";

    private final SessionPublisher publisher;
    private final SessionSnapshots snapshots;

    SessionHandler(SessionPublisher publisher, SessionSnapshots snapshots) {
        this.publisher = publisher;
        this.snapshots = snapshots;
    }

    @Override
    public Uni<Void> handle(ClientContext context, SessionEvent event) {
        return switch (event) {
            case SessionEvent.Update update -> update(context, update);
        };
    }

    private Uni<Void> update(ClientContext context, SessionEvent.Update update) {
        var session = context.session();
        var current = session.settings();
        var settings = update.session().applyTo(current);
        String outOfScope = CallAccess.refusedField(session.opener(), session.id(), settings.voicecoach());
        if (outOfScope != null) {
            throw RealtimeError.invalid(CallAccess.CALL_NOT_PERMITTED, "the credential this session was opened with "
                    + "does not allow this " + outOfScope + " (joining a call needs a client secret bound to it)",
                    "session.voicecoach." + outOfScope);
        }
        var publication = session.publication();
        boolean wasStarted = publication.startRequested();
        if (wasStarted && !settings.voicecoach().sameIdentity(current.voicecoach())) {
            throw RealtimeError.invalidEvent("voicecoach.mode, call_id, rep_id and role cannot change once the "
                    + "session has started", "session.voicecoach");
        }
        if (wasStarted && !Set.copyOf(settings.tracks()).equals(Set.copyOf(current.tracks()))) {
            throw RealtimeError.invalidEvent("voicecoach.tracks cannot change once the session has started",
                    "session.voicecoach.tracks");
        }
        if (wasStarted && !settings.sessionType().equals(current.sessionType())) {
            throw RealtimeError.invalidEvent("the session type cannot change once the session has started",
                    "session.type");
        }
        if (settings.transcriptionOnly() && VoiceCoachSettings.AGENT.equals(settings.voicecoach().mode())) {
            throw RealtimeError.invalidEvent("a transcription session has no voice agent: mode must be coach",
                    "session.voicecoach.mode");
        }
        session.configure(settings);
        context.audio().reconfigure();
        publisher.ensureStarted(session).subscribe().with(ok -> { },
                failure -> LOG.warnf("session.started of %s not published: %s", session.id(), failure.getMessage()));
        if (!wasStarted) {
            // session.started carried the mode and metadata
            var voicecoach = settings.voicecoach();
            publication.announce(new SessionUpdated(voicecoach.mode(), null, null, List.of(), null,
                    voicecoach.metadata()));
        }
        announce(session, settings);
        snapshots.write(session);
        for (var refused : update.session().unsupported()) {
            session.client().send(RealtimeJson.frame(ServerEvent.ErrorEvent.of(refused, update.eventId())))
                    .subscribe().with(ok -> { }, failure -> { });
        }
        return session.client().send(RealtimeJson.frame(ServerEvent.SessionUpdated.of(session.id(), settings)));
    }

    /** Publishes {@code session.updated} on Kafka when what the pipeline uses changed. */
    private void announce(RealtimeSession session, SessionSettings settings) {
        var transcription = settings.transcription();
        var metadata = settings.voicecoach().metadata();
        if (transcription.prompt() != null) {
            var withPrompt = new LinkedHashMap<>(metadata);
            withPrompt.put(PROMPT_METADATA_KEY, transcription.prompt());
            metadata = Map.copyOf(withPrompt);
        }
        var realtime = settings.realtime();
        var tools = new ArrayList<JsonNode>();
        realtime.path("tools").forEach(tools::add);
        var toolChoice = realtime.get("tool_choice");
        var updated = new SessionUpdated(settings.voicecoach().mode(), transcription.engine(),
                transcription.language(), transcription.phrases(), settings.instructions(), metadata,
                tools.isEmpty() ? null : List.copyOf(tools), toolChoice == null || toolChoice.isNull() ? null
                : toolChoice, settings.outputAudio().speech());
        if (session.publication().announce(updated)) {
            publisher.updated(session, updated).subscribe().with(ok -> { },
                    failure -> LOG.warnf("session.updated of %s not published: %s", session.id(),
                            failure.getMessage()));
        }
    }
}
