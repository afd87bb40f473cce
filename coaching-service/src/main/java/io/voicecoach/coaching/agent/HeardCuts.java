package io.voicecoach.coaching.agent;

import io.voicecoach.coaching.llm.ChatMessage;
import io.voicecoach.coaching.llm.Conversations;
import io.voicecoach.coaching.session.ConversationState;

import java.util.Map;

/**
 * What the caller heard of the agent's spoken items ({@code item.truncated} with the gateway's {@code heardText}):
 * the item's text in the agent's history is cut to it, so the next LLM request holds only what was said. A cut that
 * comes before its item entered the history (the truncation overtook the reply's end) waits for it.
 */
final class HeardCuts {

    /** Items and pending cuts remembered per session; older ones are forgotten first. */
    static final int KEEP = 16;

    private HeardCuts() {
    }

    /** The text an item enters the history with: the words heard when its cut came first, else its text. */
    static String entering(ConversationState conversation, String itemId, String text) {
        if (itemId == null || text == null) {
            return text;
        }
        String heard = conversation.pendingCuts().remove(itemId);
        String entered = heard != null && heard.length() < text.length() ? heard : text;
        remember(conversation.agentItems(), itemId, entered);
        return entered;
    }

    /** {@code item.truncated}: cuts the item's text in the history (and its agent turn) to the words heard. */
    static void truncate(ConversationState conversation, String itemId, String heard) {
        if (itemId == null || heard == null) {
            return;
        }
        String text = conversation.agentItems().get(itemId);
        if (text == null) {
            remember(conversation.pendingCuts(), itemId, heard);
            return;
        }
        if (heard.length() >= text.length()) {
            return;
        }
        var history = conversation.agentHistory();
        for (int i = history.size() - 1; i >= 0; i--) {
            var message = history.get(i);
            if ("assistant".equals(message.role()) && text.equals(message.content())) {
                if (heard.isEmpty() && message.toolCalls() == null) {
                    history.remove(i); // nothing of it was heard
                } else {
                    history.set(i, new ChatMessage(message.role(), heard.isEmpty() ? null : heard,
                            message.toolCalls(), message.toolCallId()));
                }
                break;
            }
        }
        var turns = conversation.turns();
        for (int i = turns.size() - 1; i >= 0; i--) {
            var turn = turns.get(i);
            if ("agent".equals(turn.speaker()) && turn.text().contains(text)) {
                turns.set(i, new Conversations.Turn(turn.speaker(), turn.text().replace(text, heard).strip()));
                break;
            }
        }
        conversation.agentItems().put(itemId, heard);
    }

    private static void remember(Map<String, String> items, String itemId, String text) {
        items.remove(itemId);
        items.put(itemId, text);
        while (items.size() > KEEP) {
            items.remove(items.keySet().iterator().next());
        }
    }
}
