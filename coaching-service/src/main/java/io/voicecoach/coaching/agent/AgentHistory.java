package io.voicecoach.coaching.agent;

import io.voicecoach.coaching.llm.ChatMessage;

import java.util.List;

/** Trimming of a session's agent conversation (kept in its conversation state) to what one round may send. */
final class AgentHistory {

    private AgentHistory() {
    }

    /**
     * The newest messages within {@code budgetChars}, starting at a user message so that no tool result is sent
     * without the assistant message that called it. What no longer fits is dropped from {@code history} for good.
     */
    static List<ChatMessage> recent(List<ChatMessage> history, int budgetChars) {
        int start = history.size();
        int used = 0;
        while (start > 0 && used + history.get(start - 1).chars() <= budgetChars) {
            start--;
            used += history.get(start).chars();
        }
        while (start < history.size() && !"user".equals(history.get(start).role())) {
            start++;
        }
        if (start == history.size()) { // the current turn alone is over budget: it goes anyway, from its user message
            start = lastUserMessage(history);
        }
        if (start > 0) {
            history.subList(0, start).clear();
        }
        return List.copyOf(history);
    }

    private static int lastUserMessage(List<ChatMessage> history) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if ("user".equals(history.get(i).role())) {
                return i;
            }
        }
        return history.size();
    }
}
