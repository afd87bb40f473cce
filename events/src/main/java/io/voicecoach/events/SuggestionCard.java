package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The battle card of an objection suggestion already published: it follows the suggestion on the same partition
 * of {@link Topics#SUGGESTIONS}, never before it, and only when tool-service answered within the wait.
 *
 * @param suggestionId the {@link Suggestion#suggestionId()} the card belongs to
 * @param utteranceId  the utterance that triggered that suggestion
 * @param card         the card from tool-service's {@code get_battle_card}
 */
@RegisterForReflection
public record SuggestionCard(String suggestionId, String utteranceId, BattleCard card) implements CoachingEvent {
}
