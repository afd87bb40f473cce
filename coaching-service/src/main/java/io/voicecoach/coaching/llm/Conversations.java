package io.voicecoach.coaching.llm;

import io.voicecoach.coaching.BoundedLru;
import io.voicecoach.coaching.CoachingConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What was said in each session of an LLM tenant (final transcripts, both speakers), for coaching prompts and the
 * post-call summary. Each session keeps at most {@code max(history-chars, summary-history-chars)} characters, oldest
 * turns dropped first; sessions are LRU-bounded like the other per-session state.
 */
@ApplicationScoped
public class Conversations {

    /** One utterance: {@code speaker} is {@code customer} or {@code rep}. */
    public record Turn(String speaker, String text) {
    }

    private final BoundedLru<String, Deque<Turn>> sessions;
    private final int keepChars;

    public Conversations(CoachingConfig coaching, LlmConfig config) {
        this.sessions = new BoundedLru<>(coaching.sessionCapacity());
        this.keepChars = Math.max(config.historyChars(), config.summaryHistoryChars());
    }

    public void record(String tenantId, String sessionId, Turn turn) {
        var turns = sessions.computeIfAbsent(key(tenantId, sessionId), k -> new ArrayDeque<>());
        synchronized (turns) {
            turns.addLast(turn);
            int chars = turns.stream().mapToInt(t -> t.text().length()).sum();
            while (chars > keepChars && turns.size() > 1) {
                chars -= turns.removeFirst().text().length();
            }
        }
    }

    /** The newest turns whose text fits in {@code budgetChars}, oldest first. */
    public List<Turn> recent(String tenantId, String sessionId, int budgetChars) {
        var turns = sessions.get(key(tenantId, sessionId));
        if (turns == null) {
            return List.of();
        }
        synchronized (turns) {
            return newest(turns, budgetChars);
        }
    }

    /** Removes the session and returns its newest turns within the budget. */
    public List<Turn> end(String tenantId, String sessionId, int budgetChars) {
        var turns = sessions.get(key(tenantId, sessionId));
        sessions.remove(key(tenantId, sessionId));
        if (turns == null) {
            return List.of();
        }
        synchronized (turns) {
            return newest(turns, budgetChars);
        }
    }

    private static List<Turn> newest(Deque<Turn> turns, int budgetChars) {
        var picked = new ArrayList<Turn>();
        int used = 0;
        var it = turns.descendingIterator();
        while (it.hasNext()) {
            var turn = it.next();
            if (used + turn.text().length() > budgetChars) {
                break;
            }
            used += turn.text().length();
            picked.addFirst(turn);
        }
        return picked;
    }

    private static String key(String tenantId, String sessionId) {
        return tenantId + "/" + sessionId;
    }
}
