package io.voicecoach.analytics.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.Blocking;
import io.voicecoach.analytics.live.LiveCall;
import io.voicecoach.analytics.live.LiveUpdate;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.StageChanged;
import io.voicecoach.events.LlmUsage;
import io.voicecoach.events.CallSummary;
import io.voicecoach.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.List;

import static io.voicecoach.analytics.ingest.Payloads.required;

/** {@code coach.suggestions}: the suggestions shown to reps, with the timestamps of their latency chain. */
@ApplicationScoped
public class SuggestionEvents {

    private final EventGate gate;
    private final Event<LiveUpdate> live;
    private final ActivityRecords records;

    public SuggestionEvents(EventGate gate, Event<LiveUpdate> live, ActivityRecords records) {
        this.gate = gate;
        this.live = live;
        this.records = records;
    }

    @Incoming("suggestions")
    @Blocking
    @Transactional
    public void onEvent(String value) {
        var event = EventJson.decode(value);
        switch (event.type()) {
            case EventTypes.SUGGESTION -> suggestion(event, event.payloadAs(Suggestion.class));
            case EventTypes.STAGE_CHANGED -> stage(event, event.payloadAs(StageChanged.class));
            case EventTypes.LLM_USAGE -> llmUsage(event, event.payloadAs(LlmUsage.class));
            case EventTypes.CALL_SUMMARY -> summary(event, event.payloadAs(CallSummary.class));
            default -> gate.skipped(Topics.SUGGESTIONS, event);
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

    private void stage(Envelope event, StageChanged change) {
        String stage = required(change.stage(), "stage", event.type());
        gate.admit(Topics.SUGGESTIONS, event).ifPresent(session -> {
            records.stageChange(event, change);
            live.fire(LiveUpdate.stage(session.tenantId, session.sessionId, event.occurredAt(), stage));
        });
    }

    private void llmUsage(Envelope event, LlmUsage usage) {
        gate.admit(Topics.SUGGESTIONS, event).ifPresent(session -> records.llmCall(event, usage));
    }

    private void summary(Envelope event, CallSummary summary) {
        required(summary.summary(), "summary", event.type());
        gate.admit(Topics.SUGGESTIONS, event).ifPresent(session -> {
            session.summary = summary.summary();
            session.nextSteps = EventJson.tree(summary.nextSteps() == null ? List.of() : summary.nextSteps()).toString();
            session.summaryModel = summary.model();
            session.summarizedAt = event.occurredAt();
        });
    }

    /** Keeps the card exactly as published, fields this version does not know included. */
    private static String cardJson(JsonNode card) {
        return card == null || card.isNull() ? null : card.toString();
    }
}
