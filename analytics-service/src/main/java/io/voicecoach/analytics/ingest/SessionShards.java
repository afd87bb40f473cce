package io.voicecoach.analytics.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a poll's events into groups that share no session and no suggestion or tool call id, keeping each session's
 * events in their order, so that the groups can be applied by concurrent transactions with the same effect as one.
 * A batch in which one suggestion or tool call id is named by two sessions stays whole, so that the ownership check
 * ({@link BatchWriter}) still sees both claims in one transaction.
 */
final class SessionShards {

    static List<List<Change>> of(List<Change> changes, int shards) {
        if (shards <= 1 || sharesRowIds(changes)) {
            return List.of(changes);
        }
        var groups = new ArrayList<List<Change>>();
        for (int i = 0; i < shards; i++) {
            groups.add(new ArrayList<>());
        }
        for (Change change : changes) {
            groups.get(Math.floorMod(change.event().sessionId().hashCode(), shards)).add(change);
        }
        groups.removeIf(List::isEmpty);
        return groups;
    }

    private static boolean sharesRowIds(List<Change> changes) {
        Map<String, String> sessionOfRow = new HashMap<>();
        for (Change change : changes) {
            String row = switch (change) {
                case Change.Suggested s -> "s:" + s.payload().suggestionId();
                case Change.Receipt r -> "s:" + r.payload().suggestionId();
                case Change.Carded c -> "s:" + c.payload().suggestionId();
                case Change.ToolRequested t -> "t:" + t.payload().callId();
                case Change.ToolAnswered t -> "t:" + t.payload().callId();
                default -> null;
            };
            String session = change.event().sessionId();
            if (row != null && !session.equals(sessionOfRow.computeIfAbsent(row, k -> session))) {
                return true;
            }
        }
        return false;
    }

    private SessionShards() {
    }
}
