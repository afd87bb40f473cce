package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;

/**
 * Coaching for the rep.
 *
 * @param suggestionId unique id; the gateway and the client de-duplicate on it
 * @param utteranceId  the utterance that triggered it, null for time-based nudges
 * @param kind         {@code objection}, {@code buying_signal} or {@code nudge}
 * @param category     e.g. {@code price}, {@code timing}, {@code authority}, {@code competitor}, {@code need}
 * @param title        one line for the rep's screen
 * @param message      the playbook's answer or the nudge's advice
 * @param confidence   0..1
 * @param source       {@code rules}, {@code embedding} or {@code llm}
 * @param priority     1 (highest) .. 5
 * @param card         left null by coaching-service: an objection's battle card follows as a {@link SuggestionCard}
 * @param transcriptAt {@link Envelope#occurredAt()} of the triggering transcript event
 * @param receivedAt   {@link Transcript#receivedAt()} of the triggering transcript, for end-to-end latency
 * @param citations    knowledge-base chunks the message draws on; empty when none
 */
@RegisterForReflection
public record Suggestion(String suggestionId, String utteranceId, String kind, String category, String title,
                         String message, double confidence, String source, int priority, BattleCard card,
                         Instant transcriptAt, Instant receivedAt, List<Citation> citations) implements CoachingEvent {

    public Suggestion {
        citations = citations == null ? List.of() : List.copyOf(citations);
    }

    public Suggestion(String suggestionId, String utteranceId, String kind, String category, String title,
                      String message, double confidence, String source, int priority, BattleCard card,
                      Instant transcriptAt, Instant receivedAt) {
        this(suggestionId, utteranceId, kind, category, title, message, confidence, source, priority, card,
                transcriptAt, receivedAt, List.of());
    }

    public Suggestion withCard(BattleCard newCard) {
        return new Suggestion(suggestionId, utteranceId, kind, category, title, message, confidence, source, priority,
                newCard, transcriptAt, receivedAt, citations);
    }
}
