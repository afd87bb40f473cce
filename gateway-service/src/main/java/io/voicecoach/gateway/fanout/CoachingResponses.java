package io.voicecoach.gateway.fanout;

import io.voicecoach.events.Suggestion;
import io.voicecoach.gateway.realtime.RealtimeJson;
import io.voicecoach.gateway.realtime.ServerEvent;
import io.voicecoach.gateway.realtime.ServerEvent.Item;
import io.voicecoach.gateway.realtime.ServerEvent.Part;
import io.voicecoach.gateway.realtime.ServerEvent.Response;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.session.SessionPublisher;

import java.util.List;

/**
 * A coaching suggestion as an out-of-band Realtime response, for sessions whose client asked for it
 * ({@code response.create} with {@code conversation: "none"} and {@code metadata.voicecoach: "coaching"}): after the
 * {@code voicecoach.coaching.suggestion} frame, {@code response.created}, {@code response.output_item.added},
 * {@code response.content_part.added}, {@code response.output_text.delta} and {@code .done},
 * {@code response.content_part.done}, {@code response.output_item.done} and {@code response.done}, all with
 * {@code conversation_id: null} and the client's metadata. The text is {@code "<title>: <message>"}; the response's
 * {@code voicecoach.suggestion} names the suggestion. The response and item ids derive from the session and the
 * suggestion, so a replay after a resume repeats them.
 */
final class CoachingResponses {

    static List<String> frames(RealtimeSession session, String suggestionFrame, Suggestion suggestion) {
        var metadata = session.settings().coachingResponses();
        if (metadata == null) {
            return List.of(suggestionFrame);
        }
        String key = session.id() + "/" + suggestion.suggestionId() + "/coaching";
        String responseId = "resp_" + hex(key + "/response");
        String itemId = "item_" + hex(key + "/item");
        String text = text(suggestion);
        var notes = new ServerEvent.ResponseNotes(null, new ServerEvent.SuggestionRef(suggestion.suggestionId(),
                suggestion.kind(), suggestion.category(), suggestion.priority()));
        var done = Item.message(itemId, Item.ASSISTANT, Item.COMPLETED, List.of(new ServerEvent.OutputText(text)),
                null);
        return List.of(suggestionFrame,
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

    /** What a stock client shows: the suggestion's title, then its message. */
    static String text(Suggestion suggestion) {
        String title = suggestion.title() == null ? "" : suggestion.title().strip();
        String message = suggestion.message() == null ? "" : suggestion.message().strip();
        return title.isEmpty() ? message : message.isEmpty() ? title : title + ": " + message;
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
