package io.voicecoach.coaching.tools;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.voicecoach.coaching.DerivedIds;
import io.voicecoach.coaching.session.SessionTopology;
import io.voicecoach.events.BattleCard;
import io.voicecoach.events.Event;
import io.voicecoach.events.EventCodec;
import io.voicecoach.events.InvalidEventException;
import io.voicecoach.events.ToolCall;
import io.voicecoach.events.ToolResult;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Optional;

/**
 * The {@code get_battle_card} call of an objection and the card in its answer. The session processor sends the call,
 * remembers it in the session's state and turns a matching {@code tool.result} (same tenant, published within
 * {@code voicecoach.coaching.battle-card-wait}) into {@code coaching.battle_card}.
 */
public final class BattleCardRequests {

    public static final String TOOL = "get_battle_card";

    private static final Logger LOG = Logger.getLogger(BattleCardRequests.class);

    /** How a battle card request ended, for the metrics. */
    public enum Outcome { CARD, ERROR, TIMEOUT }

    private BattleCardRequests() {
    }

    public static String callId(Event<?> trigger) {
        return DerivedIds.of("tool-call", trigger.eventId()).toString();
    }

    /** @param competitor normalised competitor name the utterance mentions, or null */
    public static ToolCall call(Event<?> trigger, String category, String competitor, Duration wait) {
        var arguments = JsonNodeFactory.instance.objectNode().put("category", category);
        if (competitor != null) {
            arguments.put("competitor", competitor);
        }
        return new ToolCall(callId(trigger), TOOL, arguments, SessionTopology.PRODUCER, wait.toMillis());
    }

    /** The card of an {@code ok} result; empty for an error or a result that is not a card. */
    public static Optional<BattleCard> card(ToolResult result) {
        if (!result.ok()) {
            LOG.debugf("battle card call %s answered %s", result.callId(), result.error());
            return Optional.empty();
        }
        try {
            return Optional.of(EventCodec.fromTree(result.result(), BattleCard.class));
        } catch (InvalidEventException e) {
            LOG.warnf("battle card call %s returned something that is not a card: %s", result.callId(), e.getMessage());
            return Optional.empty();
        }
    }
}
