package io.voicecoach.coaching.session;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.coaching.llm.ChatMessage;
import io.voicecoach.coaching.llm.Conversations;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bulky part of a session's state, in a store of its own so that events that do not touch it (most of a coach
 * session's) do not rewrite it: the turns for LLM coaching and the summary, and the voice agent's chat history.
 */
@RegisterForReflection
public final class ConversationState {

    private final List<Conversations.Turn> turns = new ArrayList<>();
    private final List<ChatMessage> agentHistory = new ArrayList<>();
    /** The voice agent's recent items (id -> their text as the history has it), for a truncation to find. */
    private final Map<String, String> agentItems = new LinkedHashMap<>();
    /** Truncations of items not in the history yet (id -> the words heard): applied when they enter it. */
    private final Map<String, String> pendingCuts = new LinkedHashMap<>();

    public List<Conversations.Turn> turns() {
        return turns;
    }

    public List<ChatMessage> agentHistory() {
        return agentHistory;
    }

    public Map<String, String> agentItems() {
        return agentItems;
    }

    public Map<String, String> pendingCuts() {
        return pendingCuts;
    }
}
