package io.voicecoach.coaching.suggest;

import io.smallrye.mutiny.Uni;
import io.voicecoach.coaching.detect.Detection;
import io.voicecoach.coaching.tools.BattleCards;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SuggestionCard;
import io.voicecoach.events.Transcript;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletionStage;

/**
 * The battle card of an objection, sent after its suggestion as {@code coaching.battle_card}. The tool call starts
 * with the suggestion so the card is not delayed by it, but the card is only published once the suggestion is on
 * Kafka: same key, so it lands after the suggestion. Nothing here holds up the transcript's acknowledgement.
 */
@ApplicationScoped
public class CardFollowUps {

    private static final Logger LOG = Logger.getLogger(CardFollowUps.class);

    private final BattleCards battleCards;
    private final Suggestions suggestions;
    private final CoachingMetrics metrics;

    public CardFollowUps(BattleCards battleCards, Suggestions suggestions, CoachingMetrics metrics) {
        this.battleCards = battleCards;
        this.suggestions = suggestions;
        this.metrics = metrics;
    }

    /** Asks tool-service for the card now; the answer is kept until {@link #publishAfter} hands it on. */
    public CompletionStage<BattleCards.Answer> request(Envelope trigger, Detection detection) {
        return battleCards.fetch(trigger, detection.category(), detection.competitor())
                .invoke(answer -> metrics.battleCard(answer.outcome()))
                .subscribeAsCompletionStage();
    }

    /** Call once the suggestion is on Kafka; a timeout or an error sends nothing (the suggestion stands). */
    public void publishAfter(Envelope trigger, Transcript transcript, CompletionStage<BattleCards.Answer> answer) {
        String suggestionId = Suggestions.suggestionId(trigger);
        Uni.createFrom().completionStage(answer)
                .chain(found -> found.card()
                        .map(card -> suggestions.publishEvent(trigger, EventTypes.BATTLE_CARD,
                                new SuggestionCard(suggestionId, transcript.utteranceId(), card), "battle-card-event"))
                        .orElseGet(() -> Uni.createFrom().voidItem()))
                .subscribe().with(done -> { }, failure -> LOG.errorf(failure,
                        "battle card for suggestion %s (transcript event %s) not published", suggestionId,
                        trigger.eventId()));
    }
}
