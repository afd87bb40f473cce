package io.voicecoach.coaching.agent;

import io.voicecoach.coaching.llm.ChatMessage;

import java.util.ArrayList;
import java.util.List;

/**
 * One session's voice-agent state: its mode, client instructions, the conversation as chat messages, and the reply
 * being spoken. Guarded by its own monitor.
 */
final class AgentSession {

    static final String AGENT_MODE = "agent";

    final String tenantId;
    final String sessionId;
    volatile String mode = "coach";
    String instructions;
    Reply running;
    private final List<ChatMessage> history = new ArrayList<>();

    AgentSession(String tenantId, String sessionId) {
        this.tenantId = tenantId;
        this.sessionId = sessionId;
    }

    boolean agentMode() {
        return AGENT_MODE.equals(mode);
    }

    void add(ChatMessage message) {
        history.add(message);
    }

    /**
     * The newest messages within {@code budgetChars}, starting at a user message so that no tool result is sent
     * without the assistant message that called it.
     */
    List<ChatMessage> recent(int budgetChars) {
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
            start = lastUserMessage();
        }
        if (start > 0) {
            history.subList(0, start).clear(); // what no longer fits is never sent again
        }
        return List.copyOf(history);
    }

    private int lastUserMessage() {
        for (int i = history.size() - 1; i >= 0; i--) {
            if ("user".equals(history.get(i).role())) {
                return i;
            }
        }
        return history.size();
    }

    List<ChatMessage> history() {
        return List.copyOf(history);
    }
}
