package io.voicecoach.analytics.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.events.AgentAudioDone;
import io.voicecoach.events.AgentSpeechFailed;
import io.voicecoach.events.BattleCard;
import io.voicecoach.events.ComplianceChecklist;
import io.voicecoach.events.CallSummary;
import io.voicecoach.events.Event;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.InvalidEventException;
import io.voicecoach.events.ItemTruncated;
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
import io.voicecoach.events.UnknownEventTypeException;
import io.voicecoach.events.kafka.Decoded;

import java.util.Optional;

/** An event this service stores, decoded and checked; {@link #of} refuses a malformed one. */
sealed interface Change {

    Event<?> event();

    record Started(Event<?> event, SessionStarted payload) implements Change {
    }

    record Updated(Event<?> event, SessionUpdated payload) implements Change {
    }

    record Ended(Event<?> event, SessionEnded payload) implements Change {
    }

    record Receipt(Event<?> event, SuggestionDelivered payload) implements Change {
    }

    record Spoken(Event<?> event, Transcript payload) implements Change {
    }

    record TranscriptionFailed(Event<?> event, TranscriptFailed payload) implements Change {
    }

    /**
     * @param card      the battle card as JSON, or null
     * @param citations the cited knowledge-base chunks as a JSON array
     */
    record Suggested(Event<?> event, Suggestion payload, String card, String citations) implements Change {
    }

    /** @param card the battle card as JSON, for the {@code card} of the suggestion's row */
    record Carded(Event<?> event, SuggestionCard payload, String card) implements Change {
    }

    record Staged(Event<?> event, StageChanged payload) implements Change {
    }

    record LlmCalled(Event<?> event, LlmUsage payload) implements Change {
    }

    /** @param checklist the checklist as JSON, for {@code sessions.compliance} */
    record Checked(Event<?> event, ComplianceChecklist payload, String checklist) implements Change {
    }

    record Summarized(Event<?> event, CallSummary payload) implements Change {
    }

    record ToolRequested(Event<?> event, ToolCall payload, String arguments) implements Change {
    }

    record ToolAnswered(Event<?> event, ToolResult payload, String result) implements Change {
    }

    /** A reply item the voice agent spoke whole ({@code agent.speech.audio_done}). */
    record SpeechDone(Event<?> event, AgentAudioDone payload) implements Change {
    }

    /** A reply item cut short by barge-in ({@code item.truncated}): the caller heard its first {@code audioEndMs}. */
    record SpeechCut(Event<?> event, ItemTruncated payload) implements Change {
    }

    /** A reply item the speech engine gave up on ({@code agent.speech.failed}). */
    record SpeechFailed(Event<?> event, AgentSpeechFailed payload) implements Change {
    }

    /**
     * @return the change, or empty for an event type this service does not store (or does not know)
     * @throws InvalidEventException when the record is no event, or lacks what the change needs
     */
    static Optional<Change> of(Decoded record) {
        return switch (record) {
            case Decoded.Valid valid -> of(valid.event());
            case Decoded.Invalid unknown when unknown.reason() instanceof UnknownEventTypeException -> Optional.empty();
            case Decoded.Invalid malformed -> throw malformed.reason();
        };
    }

    /**
     * @return the change, or empty for an event type this service does not store
     * @throws InvalidEventException when the event lacks what the change needs
     */
    static Optional<Change> of(Event<?> e) {
        if (e.tenantId().isBlank() || e.sessionId().isBlank()) {
            throw new InvalidEventException(e.type() + " without tenantId or sessionId");
        }
        Change change = switch (e.payload()) {
            case SessionStarted started -> new Started(e, started);
            case SessionUpdated updated -> new Updated(e, updated);
            case SessionEnded ended -> new Ended(e, ended);
            case SuggestionDelivered receipt -> {
                required(receipt.suggestionId(), "suggestionId", e);
                required(receipt.deliveredAt(), "deliveredAt", e);
                yield new Receipt(e, receipt);
            }
            case Transcript transcript when EventTypes.TRANSCRIPT_FINAL.equals(e.type()) -> {
                required(transcript.utteranceId(), "utteranceId", e);
                if (!Track.isValid(transcript.track())) {
                    throw new InvalidEventException(e.type() + " with unknown track " + transcript.track());
                }
                yield new Spoken(e, transcript);
            }
            case TranscriptFailed failed -> {
                required(failed.code(), "code", e);
                yield new TranscriptionFailed(e, failed);
            }
            case Suggestion suggestion -> {
                required(suggestion.suggestionId(), "suggestionId", e);
                yield new Suggested(e, suggestion, json(suggestion.card()),
                        EventJson.tree(suggestion.citations()).toString());
            }
            case SuggestionCard followUp -> {
                required(followUp.suggestionId(), "suggestionId", e);
                required(followUp.card(), "card", e);
                yield new Carded(e, followUp, json(followUp.card()));
            }
            case StageChanged stage -> {
                required(stage.stage(), "stage", e);
                yield new Staged(e, stage);
            }
            case ComplianceChecklist checklist -> new Checked(e, checklist, EventJson.tree(checklist).toString());
            case LlmUsage usage -> new LlmCalled(e, usage);
            case CallSummary summary -> {
                required(summary.summary(), "summary", e);
                yield new Summarized(e, summary);
            }
            case ToolCall call -> {
                required(call.callId(), "callId", e);
                required(call.tool(), "tool", e);
                yield new ToolRequested(e, call, json(call.arguments()));
            }
            case ToolResult result -> {
                required(result.callId(), "callId", e);
                String status = required(result.status(), "status", e);
                if (!ToolResult.OK.equals(status) && !ToolResult.ERROR.equals(status)) {
                    throw new InvalidEventException(e.type() + " with unknown status " + status);
                }
                yield new ToolAnswered(e, result, json(result.result()));
            }
            case AgentAudioDone done -> {
                required(done.itemId(), "itemId", e);
                if (done.durationMs() < 0) {
                    throw new InvalidEventException(e.type() + " with a negative durationMs");
                }
                yield new SpeechDone(e, done);
            }
            case ItemTruncated cut -> {
                required(cut.itemId(), "itemId", e);
                if (cut.audioEndMs() < 0) {
                    throw new InvalidEventException(e.type() + " with a negative audioEndMs");
                }
                yield new SpeechCut(e, cut);
            }
            case AgentSpeechFailed failed -> {
                required(failed.itemId(), "itemId", e);
                yield new SpeechFailed(e, failed);
            }
            default -> null;
        };
        return Optional.ofNullable(change);
    }

    private static <T> T required(T value, String field, Event<?> e) {
        if (value == null || value instanceof String s && s.isBlank()) {
            throw new InvalidEventException(e.type() + " without " + field);
        }
        return value;
    }

    private static String json(JsonNode node) {
        return node == null || node.isNull() ? null : node.toString();
    }

    private static String json(BattleCard card) {
        return card == null ? null : EventJson.tree(card).toString();
    }
}
