package io.voicecoach.coaching.tools;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicecoach.events.BattleCard;
import io.voicecoach.events.Event;
import io.voicecoach.events.EventCodec;
import io.voicecoach.events.ToolError;
import io.voicecoach.events.ToolResult;
import io.voicecoach.events.Transcript;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class BattleCardRequestsTest {

    private static final Event<Transcript> TRIGGER = Event.of(UUID.randomUUID(), "acme", "sess_1", 3, Instant.now(),
            "transcription-service", new Transcript("item_1", "customer", "the price is too high", true, 0, 1_000,
                    0.9, "sphinx", Instant.now()));

    @Test
    void asksForTheCategoryAndTheCompetitorUnderAnIdOfTheTrigger() {
        var call = BattleCardRequests.call(TRIGGER, "competitor", "acme-rival", Duration.ofMillis(800));
        var again = BattleCardRequests.call(TRIGGER, "competitor", null, Duration.ofMillis(800));

        assertThat(call.tool()).isEqualTo(BattleCardRequests.TOOL);
        assertThat(call.callId()).isEqualTo(again.callId()).isEqualTo(BattleCardRequests.callId(TRIGGER));
        assertThat(call.timeoutMs()).isEqualTo(800);
        assertThat(call.arguments().toString()).isEqualTo("{\"category\":\"competitor\",\"competitor\":\"acme-rival\"}");
        assertThat(again.arguments().toString()).isEqualTo("{\"category\":\"competitor\"}");
        assertThat(EventCodec.decode(EventCodec.encode(Event.of(UUID.randomUUID(), "acme", "sess_1", 4,
                Instant.now(), "coaching-service", call))).payload()).isEqualTo(call);
    }

    @Test
    void readsTheCardOfAnOkResultAndNothingElse() {
        var card = new BattleCard("card_price", "price", null, "Price objection", "Reframe on value.",
                List.of("Ask what budget they planned"));
        var tree = ((ObjectNode) EventCodec.tree(card)).put("source", "crm");
        var ok = new ToolResult("call_1", BattleCardRequests.TOOL, ToolResult.OK, tree, null, 12);
        var error = new ToolResult("call_2", BattleCardRequests.TOOL, ToolResult.ERROR, null,
                new ToolError("not_found", "no card for price"), 3);
        var notACard = new ToolResult("call_3", BattleCardRequests.TOOL, ToolResult.OK,
                JsonNodeFactory.instance.arrayNode().add("a card?"), null, 4);
        var empty = new ToolResult("call_4", BattleCardRequests.TOOL, ToolResult.OK, null, null, 4);

        assertThat(BattleCardRequests.card(ok)).contains(card);
        assertThat(BattleCardRequests.card(error)).isEmpty();
        assertThat(BattleCardRequests.card(notACard)).isEmpty();
        assertThat(BattleCardRequests.card(empty)).isEmpty();
    }
}
