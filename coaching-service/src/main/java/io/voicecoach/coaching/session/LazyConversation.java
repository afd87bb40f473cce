package io.voicecoach.coaching.session;

import java.util.function.Supplier;

/** A session's conversation state, read from its store only when an event needs it, and written back only then. */
public final class LazyConversation {

    private final Supplier<ConversationState> load;
    private ConversationState state;

    public LazyConversation(Supplier<ConversationState> load) {
        this.load = load;
    }

    public ConversationState get() {
        if (state == null) {
            state = load.get();
        }
        return state;
    }

    /** The state if an event read it (so it may have changed), else null. */
    ConversationState touched() {
        return state;
    }
}
