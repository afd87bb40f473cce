package io.voicecoach.coaching.session;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.coaching.llm.ChatMessage;
import io.voicecoach.coaching.llm.Conversations;

import java.util.ArrayList;
import java.util.List;

/**
 * The bulky part of a session's state, in a store of its own so that events that do not touch it (most of a coach
 * session's) do not rewrite it: the turns for LLM coaching and the summary, and the voice agent's chat history.
 */
@RegisterForReflection
public final class ConversationState {

    private final List<Conversations.Turn> turns = new ArrayList<>();
    private final List<ChatMessage> agentHistory = new ArrayList<>();

    public List<Conversations.Turn> turns() {
        return turns;
    }

    public List<ChatMessage> agentHistory() {
        return agentHistory;
    }
}
