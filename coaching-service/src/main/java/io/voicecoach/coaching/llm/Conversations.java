package io.voicecoach.coaching.llm;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * What was said in a session of an LLM tenant (final transcripts, both speakers), for coaching prompts and the
 * post-call summary. The turns live in the session's state (its conversation store); a session keeps at most
 * {@code max(history-chars, summary-history-chars)} characters, oldest turns dropped first.
 */
@ApplicationScoped
public class Conversations {

    /** One utterance: {@code speaker} is {@code customer}, {@code rep} or {@code agent}. */
    @RegisterForReflection
    public record Turn(String speaker, String text) {
    }

    private final int keepChars;

    public Conversations(LlmConfig config) {
        this.keepChars = Math.max(config.historyChars(), config.summaryHistoryChars());
    }

    /** Appends {@code turn} and drops the oldest turns beyond the budget. */
    public void record(List<Turn> turns, Turn turn) {
        turns.add(turn);
        int chars = turns.stream().mapToInt(t -> t.text().length()).sum();
        while (chars > keepChars && turns.size() > 1) {
            chars -= turns.removeFirst().text().length();
        }
    }

    /** The newest turns whose text fits in {@code budgetChars}, oldest first. */
    public static List<Turn> newest(List<Turn> turns, int budgetChars) {
        var picked = new ArrayList<Turn>();
        int used = 0;
        for (int i = turns.size() - 1; i >= 0; i--) {
            var turn = turns.get(i);
            if (used + turn.text().length() > budgetChars) {
                break;
            }
            used += turn.text().length();
            picked.addFirst(turn);
        }
        return picked;
    }
}
