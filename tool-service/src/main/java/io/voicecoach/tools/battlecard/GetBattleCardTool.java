package io.voicecoach.tools.battlecard;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.events.EventJson;
import io.voicecoach.tools.registry.Tool;
import io.voicecoach.tools.registry.ToolDefinition;
import io.voicecoach.tools.registry.ToolException;
import io.voicecoach.tools.registry.ToolInvocation;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code get_battle_card {"category": "...", "competitor": "..."?}}: the tenant's card for the competitor when it
 * has one, else the category's generic card.
 */
@ApplicationScoped
public class GetBattleCardTool implements Tool {

    public static final String NAME = "get_battle_card";
    private static final ToolDefinition DEFINITION = ToolDefinition.load(NAME);

    private final BattleCards cards;

    public GetBattleCardTool(BattleCards cards) {
        this.cards = cards;
    }

    @Override
    public ToolDefinition definition() {
        return DEFINITION;
    }

    @Override
    public JsonNode run(ToolInvocation invocation) {
        String category = invocation.requiredString("category");
        var competitor = invocation.string("competitor");
        String tenant = invocation.tenantId();
        var card = competitor.flatMap(name -> cards.forCompetitor(tenant, category, name))
                .or(() -> cards.generic(tenant, category))
                .orElseThrow(() -> ToolException.notFound("no battle card for category '" + category + "'"));
        return EventJson.tree(card.toCard());
    }
}
