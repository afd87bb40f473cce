package io.voicecoach.analytics.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.events.CallSummary;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.InvalidEventException;
import io.voicecoach.events.LlmUsage;
import io.voicecoach.events.SessionEnded;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.SessionUpdated;
import io.voicecoach.events.StageChanged;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.SuggestionCard;
import io.voicecoach.events.SuggestionDelivered;
import io.voicecoach.events.ToolCall;
import io.voicecoach.events.ToolResult;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import io.voicecoach.events.TranscriptFailed;

import java.util.Optional;

/** An event this service stores, decoded and checked; {@link #of} refuses a malformed one. */
sealed interface Change {

    Envelope event();

    record Started(Envelope event, SessionStarted payload) implements Change {
    }

    record Updated(Envelope event, SessionUpdated payload) implements Change {
    }

    record Ended(Envelope event, SessionEnded payload) implements Change {
    }

    record Receipt(Envelope event, SuggestionDelivered payload) implements Change {
    }

    record Spoken(Envelope event, Transcript payload) implements Change {
    }

    record TranscriptionFailed(Envelope event, TranscriptFailed payload) implements Change {
    }

    /** @param card the battle card exactly as published (fields this version does not know included), or null */
    record Suggested(Envelope event, Suggestion payload, String card) implements Change {
    }

    /** @param card the battle card exactly as published, for the {@code card} of the suggestion's row */
    record Carded(Envelope event, SuggestionCard payload, String card) implements Change {
    }

    record Staged(Envelope event, StageChanged payload) implements Change {
    }

    record LlmCalled(Envelope event, LlmUsage payload) implements Change {
    }

    record Summarized(Envelope event, CallSummary payload) implements Change {
    }

    record ToolRequested(Envelope event, ToolCall payload, String arguments) implements Change {
    }

    record ToolAnswered(Envelope event, ToolResult payload, String result) implements Change {
    }

    /**
     * @return the change, or empty for an event type this service does not store
     * @throws InvalidEventException when the envelope or the payload is malformed
     */
    static Optional<Change> of(Envelope e) {
        if (e.tenantId().isBlank() || e.sessionId().isBlank()) {
            throw new InvalidEventException(e.type() + " without tenantId or sessionId");
        }
        Change change = switch (e.type()) {
            case EventTypes.SESSION_STARTED -> new Started(e, e.payloadAs(SessionStarted.class));
            case EventTypes.SESSION_UPDATED -> new Updated(e, e.payloadAs(SessionUpdated.class));
            case EventTypes.SESSION_ENDED -> new Ended(e, e.payloadAs(SessionEnded.class));
            case EventTypes.SUGGESTION_DELIVERED -> {
                var receipt = e.payloadAs(SuggestionDelivered.class);
                required(receipt.suggestionId(), "suggestionId", e);
                required(receipt.deliveredAt(), "deliveredAt", e);
                yield new Receipt(e, receipt);
            }
            case EventTypes.TRANSCRIPT_FINAL -> {
                var transcript = e.payloadAs(Transcript.class);
                required(transcript.utteranceId(), "utteranceId", e);
                if (!Track.isValid(transcript.track())) {
                    throw new InvalidEventException(e.type() + " with unknown track " + transcript.track());
                }
                yield new Spoken(e, transcript);
            }
            case EventTypes.TRANSCRIPT_FAILED -> {
                var failed = e.payloadAs(TranscriptFailed.class);
                required(failed.code(), "code", e);
                yield new TranscriptionFailed(e, failed);
            }
            case EventTypes.SUGGESTION -> {
                var suggestion = e.payloadAs(Suggestion.class);
                required(suggestion.suggestionId(), "suggestionId", e);
                yield new Suggested(e, suggestion, json(e.payload().get("card")));
            }
            case EventTypes.BATTLE_CARD -> {
                var followUp = e.payloadAs(SuggestionCard.class);
                required(followUp.suggestionId(), "suggestionId", e);
                required(followUp.card(), "card", e);
                yield new Carded(e, followUp, json(e.payload().get("card")));
            }
            case EventTypes.STAGE_CHANGED -> {
                var stage = e.payloadAs(StageChanged.class);
                required(stage.stage(), "stage", e);
                yield new Staged(e, stage);
            }
            case EventTypes.LLM_USAGE -> new LlmCalled(e, e.payloadAs(LlmUsage.class));
            case EventTypes.CALL_SUMMARY -> {
                var summary = e.payloadAs(CallSummary.class);
                required(summary.summary(), "summary", e);
                yield new Summarized(e, summary);
            }
            case EventTypes.TOOL_CALL -> {
                var call = e.payloadAs(ToolCall.class);
                required(call.callId(), "callId", e);
                required(call.tool(), "tool", e);
                yield new ToolRequested(e, call, json(call.arguments()));
            }
            case EventTypes.TOOL_RESULT -> {
                var result = e.payloadAs(ToolResult.class);
                required(result.callId(), "callId", e);
                String status = required(result.status(), "status", e);
                if (!ToolResult.OK.equals(status) && !ToolResult.ERROR.equals(status)) {
                    throw new InvalidEventException(e.type() + " with unknown status " + status);
                }
                yield new ToolAnswered(e, result, json(result.result()));
            }
            default -> null;
        };
        return Optional.ofNullable(change);
    }

    private static <T> T required(T value, String field, Envelope e) {
        if (value == null || value instanceof String s && s.isBlank()) {
            throw new InvalidEventException(e.type() + " without " + field);
        }
        return value;
    }

    private static String json(JsonNode node) {
        return node == null || node.isNull() ? null : node.toString();
    }
}
