package io.voicecoach.analytics.ingest;

import io.voicecoach.events.Event;
import io.voicecoach.events.Payload;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Splitting a poll for concurrent transactions: disjoint sessions, each session's events in order, shared ids whole. */
class SessionShardsTest {

    private static final Instant T0 = Instant.parse("2026-11-10T10:00:00Z");

    @Test
    void groupsShareNoSessionAndKeepEachSessionsOrder() {
        var changes = new ArrayList<Change>();
        for (int i = 0; i < 300; i++) {
            changes.add(spoken("sess_" + (i % 17), "u" + i));
        }
        var groups = SessionShards.of(changes, 2);

        assertThat(groups).hasSize(2);
        assertThat(groups.stream().mapToInt(List::size).sum()).isEqualTo(300);
        var first = sessions(groups.get(0));
        assertThat(sessions(groups.get(1))).doesNotContainAnyElementsOf(first);
        for (var group : groups) {
            for (int session = 0; session < 17; session++) {
                String id = "sess_" + session;
                var inGroup = group.stream().filter(c -> c.event().sessionId().equals(id)).toList();
                var inPoll = changes.stream().filter(c -> c.event().sessionId().equals(id)).toList();
                assertThat(inGroup).isIn(List.of(), inPoll);
            }
        }
    }

    @Test
    void aSuggestionIdNamedByTwoSessionsKeepsThePollWhole() {
        var changes = new ArrayList<Change>();
        for (int i = 0; i < 300; i++) {
            changes.add(spoken("sess_" + (i % 17), "u" + i));
        }
        changes.add(suggested("sess_1", "sugg_1"));
        changes.add(suggested("sess_2", "sugg_1"));

        assertThat(SessionShards.of(changes, 2)).containsExactly(changes);
        assertThat(SessionShards.of(changes.subList(0, 301), 2)).hasSize(2);
        assertThat(SessionShards.of(changes, 1)).containsExactly(changes);
    }

    private static HashSet<String> sessions(List<Change> group) {
        var ids = new HashSet<String>();
        group.forEach(c -> ids.add(c.event().sessionId()));
        return ids;
    }

    private static Change spoken(String session, String utteranceId) {
        var payload = new Transcript(utteranceId, Track.AGENT, "hello", true, 0, 1000, 0.9, "text", T0);
        return new Change.Spoken(event(session, payload), payload);
    }

    private static Change suggested(String session, String suggestionId) {
        var payload = new Suggestion(suggestionId, "u1", "objection", "price", "Price", "Answer", 0.9, "rules", 1, null,
                T0, T0, List.of());
        return new Change.Suggested(event(session, payload), payload, null, "[]");
    }

    private static Event<?> event(String session, Payload payload) {
        return Event.of(UUID.randomUUID(), "acme", session, 1, T0, "test", payload);
    }
}
