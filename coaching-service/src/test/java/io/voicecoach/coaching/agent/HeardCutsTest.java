package io.voicecoach.coaching.agent;

import io.voicecoach.coaching.llm.ChatMessage;
import io.voicecoach.coaching.llm.Conversations;
import io.voicecoach.coaching.session.ConversationState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeardCutsTest {

    private final ConversationState conversation = new ConversationState();

    private void said(String itemId, String text) {
        conversation.agentHistory().add(ChatMessage.user("Hi"));
        conversation.agentHistory().add(ChatMessage.assistant(HeardCuts.entering(conversation, itemId, text)));
        conversation.turns().add(new Conversations.Turn("agent", text));
    }

    @Test
    void aCutOfAnItemInTheHistoryReplacesItsTextAndItsTurn() {
        said("item_1", "Booked for Tuesday. Anything else?");

        HeardCuts.truncate(conversation, "item_1", "Booked for");

        assertThat(conversation.agentHistory().get(1).content()).isEqualTo("Booked for");
        assertThat(conversation.turns().getFirst().text()).isEqualTo("Booked for");
    }

    @Test
    void aCutThatCameFirstIsAppliedWhenItsItemEntersTheHistory() {
        HeardCuts.truncate(conversation, "item_2", "Booked");
        said("item_2", "Booked for Tuesday.");

        assertThat(conversation.agentHistory().get(1).content()).isEqualTo("Booked");
        assertThat(conversation.pendingCuts()).isEmpty();
    }

    @Test
    void nothingHeardRemovesTheMessageAndAnUnknownCutChangesNothing() {
        said("item_3", "Booked for Tuesday.");
        HeardCuts.truncate(conversation, "item_3", null);
        assertThat(conversation.agentHistory()).hasSize(2);

        HeardCuts.truncate(conversation, "item_3", "");
        assertThat(conversation.agentHistory()).extracting(ChatMessage::role).containsExactly("user");
    }

    @Test
    void aCutLongerThanTheTextIsIgnoredAndOnlyTheNewestItemsAreRemembered() {
        said("item_4", "Booked.");
        HeardCuts.truncate(conversation, "item_4", "Booked. And more.");
        assertThat(conversation.agentHistory().get(1).content()).isEqualTo("Booked.");

        for (int i = 0; i < HeardCuts.KEEP + 4; i++) {
            HeardCuts.truncate(conversation, "unknown_" + i, "x");
        }
        assertThat(conversation.pendingCuts()).hasSize(HeardCuts.KEEP).doesNotContainKey("unknown_0");
    }
}
