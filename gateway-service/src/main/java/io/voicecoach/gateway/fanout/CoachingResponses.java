package io.voicecoach.gateway.fanout;

import io.voicecoach.events.Citation;
import io.voicecoach.events.ComplianceChecklist;
import io.voicecoach.events.Suggestion;
import io.voicecoach.gateway.realtime.RealtimeJson;
import io.voicecoach.gateway.realtime.ServerEvent;
import io.voicecoach.gateway.realtime.ServerEvent.Item;
import io.voicecoach.gateway.realtime.ServerEvent.Part;
import io.voicecoach.gateway.realtime.ServerEvent.Response;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.session.SessionPublisher;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Coaching as out-of-band Realtime responses, for sessions whose client asked for it ({@code response.create} with
 * {@code conversation: "none"} and {@code metadata.voicecoach: "coaching"}): after the VoiceCoach frame (a
 * suggestion or the compliance checklist), {@code response.created}, {@code response.output_item.added},
 * {@code response.content_part.added}, {@code response.output_text.delta} and {@code .done},
 * {@code response.content_part.done}, {@code response.output_item.done} and {@code response.done}, all with
 * {@code conversation_id: null} and the client's metadata. The response's {@code voicecoach} names the suggestion
 * (with its citations) or carries the whole checklist. The response and item ids derive from the session and what
 * the response shows, so a replay after a resume repeats them.
 */
final class CoachingResponses {

    /** A suggestion: the text is {@code "<title>: <message>"}, then the titles of the documents it cites. */
    static List<String> frames(RealtimeSession session, String suggestionFrame, Suggestion suggestion) {
        var citations = suggestion.citations().stream().map(ServerEvent.CitationBody::of).toList();
        var notes = new ServerEvent.ResponseNotes(null, new ServerEvent.SuggestionRef(suggestion.suggestionId(),
                suggestion.kind(), suggestion.category(), suggestion.priority(), citations), null);
        return frames(session, suggestionFrame, session.id() + "/" + suggestion.suggestionId() + "/coaching",
                text(suggestion), notes);
    }

    /** The compliance checklist, one line per rule. */
    static List<String> frames(RealtimeSession session, String checklistFrame, UUID eventId,
                               ComplianceChecklist checklist) {
        var notes = new ServerEvent.ResponseNotes(null, null, ServerEvent.ChecklistRef.of(checklist));
        return frames(session, checklistFrame, session.id() + "/" + eventId + "/checklist", text(checklist), notes);
    }

    private static List<String> frames(RealtimeSession session, String leadFrame, String key, String text,
                                       ServerEvent.ResponseNotes notes) {
        Map<String, String> metadata = session.settings().coachingResponses();
        if (metadata == null) {
            return List.of(leadFrame);
        }
        String responseId = "resp_" + hex(key + "/response");
        String itemId = "item_" + hex(key + "/item");
        var done = Item.message(itemId, Item.ASSISTANT, Item.COMPLETED, List.of(new ServerEvent.OutputText(text)),
                null);
        return List.of(leadFrame,
                frame(new ServerEvent.ResponseCreated(Response.inProgress(responseId, null, metadata, notes))),
                frame(new ServerEvent.OutputItemAdded(responseId, 0,
                        Item.message(itemId, Item.ASSISTANT, Item.IN_PROGRESS, List.of(), null))),
                frame(new ServerEvent.ContentPartAdded(responseId, itemId, 0, 0, Part.text(""))),
                frame(new ServerEvent.ResponseTextDelta(responseId, itemId, 0, 0, text)),
                frame(new ServerEvent.ResponseTextDone(responseId, itemId, 0, 0, text)),
                frame(new ServerEvent.ContentPartDone(responseId, itemId, 0, 0, Part.text(text))),
                frame(new ServerEvent.OutputItemDone(responseId, 0, done)),
                frame(new ServerEvent.ResponseDone(Response.ended(responseId, Response.COMPLETED, null, null,
                        List.of(done), metadata, notes))));
    }

    /** What a stock client shows: the suggestion's title, its message, and the documents it cites. */
    static String text(Suggestion suggestion) {
        String title = suggestion.title() == null ? "" : suggestion.title().strip();
        String message = suggestion.message() == null ? "" : suggestion.message().strip();
        String shown = title.isEmpty() ? message : message.isEmpty() ? title : title + ": " + message;
        String sources = suggestion.citations().stream().map(Citation::documentTitle)
                .filter(t -> t != null && !t.isBlank()).map(String::strip).distinct()
                .collect(Collectors.joining("; "));
        return sources.isEmpty() ? shown : shown + " (Sources: " + sources + ")";
    }

    /** {@code "Compliance checklist:"}, then {@code "- <status>: <message>"} per rule; {@code (final)} once closed. */
    static String text(ComplianceChecklist checklist) {
        var lines = new StringBuilder(checklist.closed() ? "Compliance checklist (final):" : "Compliance checklist:");
        for (var item : checklist.items()) {
            String message = item.message() == null || item.message().isBlank() ? item.ruleId() : item.message().strip();
            lines.append("\n- ").append(item.status()).append(": ").append(message);
        }
        return lines.toString();
    }

    private static String frame(ServerEvent event) {
        return RealtimeJson.frame(event);
    }

    private static String hex(String name) {
        return SessionPublisher.derivedId(name).toString().replace("-", "");
    }

    private CoachingResponses() {
    }
}
