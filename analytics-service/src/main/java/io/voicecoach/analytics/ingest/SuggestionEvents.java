package io.voicecoach.analytics.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.Blocking;
import io.voicecoach.analytics.live.LiveCall;
import io.voicecoach.analytics.live.LiveUpdate;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import static io.voicecoach.analytics.ingest.Payloads.required;

/** {@code coach.suggestions}: the suggestions shown to reps, with the timestamps of their latency chain. */
@ApplicationScoped
public class SuggestionEvents {

    private final EventGate gate;
    private final Event<LiveUpdate> live;

    public SuggestionEvents(EventGate gate, Event<LiveUpdate> live) {
        this.gate = gate;
        this.live = live;
    }

    @Incoming("suggestions")
    @Blocking
    @Transactional
    public void onEvent(String value) {
        var event = EventJson.decode(value);
        if (EventTypes.SUGGESTION.equals(event.type())) {
            suggestion(event, event.payloadAs(Suggestion.class));
        } else {
            gate.skipped(Topics.SUGGESTIONS, event);
        }
    }

    private void suggestion(Envelope event, Suggestion suggestion) {
        String suggestionId = required(suggestion.suggestionId(), "suggestionId", event.type());
        gate.admit(Topics.SUGGESTIONS, event).ifPresent(session -> {
            var row = Suggestions.claim(session, suggestionId);
            row.utteranceId = suggestion.utteranceId();
            row.kind = suggestion.kind();
            row.category = suggestion.category();
            row.title = suggestion.title();
            row.message = suggestion.message();
            row.confidence = suggestion.confidence();
            row.source = suggestion.source();
            row.priority = suggestion.priority();
            row.card = cardJson(event.payload().get("card"));
            row.receivedAt = suggestion.receivedAt();
            row.transcriptAt = suggestion.transcriptAt();
            row.suggestedAt = event.occurredAt();
            live.fire(LiveUpdate.prompt(session.tenantId, session.sessionId, event.occurredAt(),
                    new LiveCall.LatestPrompt(suggestionId, row.kind, row.category, row.title, row.suggestedAt)));
        });
    }

    /** Keeps the card exactly as published, fields this version does not know included. */
    private static String cardJson(JsonNode card) {
        return card == null || card.isNull() ? null : card.toString();
    }
}
