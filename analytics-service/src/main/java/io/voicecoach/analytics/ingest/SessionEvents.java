package io.voicecoach.analytics.ingest;

import io.smallrye.common.annotation.Blocking;
import io.voicecoach.analytics.live.LiveUpdate;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionEnded;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.SessionUpdated;
import io.voicecoach.analytics.store.SessionRow;
import io.voicecoach.events.SuggestionDelivered;
import io.voicecoach.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.Map;

import static io.voicecoach.analytics.ingest.Payloads.required;

/** {@code voice.sessions}: session lifecycle and suggestion delivery receipts. */
@ApplicationScoped
public class SessionEvents {

    private final EventGate gate;
    private final Event<LiveUpdate> live;

    public SessionEvents(EventGate gate, Event<LiveUpdate> live) {
        this.gate = gate;
        this.live = live;
    }

    @Incoming("sessions")
    @Blocking
    @Transactional
    public void onEvent(String value) {
        var event = EventJson.decode(value);
        switch (event.type()) {
            case EventTypes.SESSION_STARTED -> started(event, event.payloadAs(SessionStarted.class));
            case EventTypes.SESSION_ENDED -> ended(event, event.payloadAs(SessionEnded.class));
            case EventTypes.SUGGESTION_DELIVERED -> delivered(event, event.payloadAs(SuggestionDelivered.class));
            case EventTypes.SESSION_UPDATED -> updated(event, event.payloadAs(SessionUpdated.class));
            default -> gate.skipped(Topics.SESSIONS, event);
        }
    }

    private void started(Envelope event, SessionStarted started) {
        gate.admit(Topics.SESSIONS, event).ifPresent(session -> {
            session.callId = started.callId();
            session.repId = started.repId();
            session.mode = started.mode();
            session.startedAt = event.occurredAt();
            mergeMetadata(session, started.metadata());
            live.fire(LiveUpdate.started(session.tenantId, session.sessionId, event.occurredAt(), started.callId(),
                    started.repId()));
        });
    }

    private void updated(Envelope event, SessionUpdated updated) {
        gate.admit(Topics.SESSIONS, event).ifPresent(session -> {
            if (updated.mode() != null) {
                session.mode = updated.mode();
            }
            mergeMetadata(session, updated.metadata());
        });
    }

    private static void mergeMetadata(SessionRow session, Map<String, String> update) {
        session.metadata = SessionMetadata.merge(session.metadata, update);
        session.team = SessionMetadata.value(session.metadata, SessionMetadata.TEAM);
        session.outcome = SessionMetadata.value(session.metadata, SessionMetadata.OUTCOME);
    }

    private void ended(Envelope event, SessionEnded ended) {
        gate.admit(Topics.SESSIONS, event).ifPresent(session -> {
            session.endedAt = event.occurredAt();
            session.endReason = ended.reason();
            session.durationMs = ended.durationMs();
            live.fire(LiveUpdate.ended(session.tenantId, session.sessionId, event.occurredAt()));
        });
    }

    private void delivered(Envelope event, SuggestionDelivered receipt) {
        String suggestionId = required(receipt.suggestionId(), "suggestionId", event.type());
        required(receipt.deliveredAt(), "deliveredAt", event.type());
        gate.admit(Topics.SESSIONS, event).ifPresent(session -> {
            var suggestion = Suggestions.claim(session, suggestionId);
            if (suggestion.utteranceId == null) {
                suggestion.utteranceId = receipt.utteranceId();
            }
            if (suggestion.suggestedAt == null) {
                suggestion.suggestedAt = receipt.suggestedAt();
            }
            // a suggestion may reach several client connections: the first delivery counts
            if (suggestion.deliveredAt == null || receipt.deliveredAt().isBefore(suggestion.deliveredAt)) {
                suggestion.deliveredAt = receipt.deliveredAt();
            }
        });
    }
}
