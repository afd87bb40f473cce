package io.voicecoach.analytics.ingest;

import io.voicecoach.analytics.ingest.Change.SpeechCut;
import io.voicecoach.analytics.ingest.Change.SpeechDone;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the caller heard of each reply item ({@code agent_speech_items}): its synthesized length from
 * {@code agent.speech.audio_done}, its heard length from {@code item.truncated}, which come on two topics in either
 * order. The caller of {@link #apply} holds the sessions' rows locked (BatchWriter), so two batches of one session,
 * one per topic, apply one after the other.
 */
final class SpeechItems {

    /**
     * @param heardMsDelta   per session, the change of the milliseconds heard (what {@code agent_speech_ms} adds)
     * @param firstSynthesis the dones that are their item's first (an item synthesized again counts once)
     */
    record Applied(Map<String, Long> heardMsDelta, List<SpeechDone> firstSynthesis) {
    }

    private static final class Item {
        final String session;
        final String id;
        final String tenant;
        Long synthesizedMs;
        Long heardMs;

        Item(String session, String id, String tenant) {
            this.session = session;
            this.id = id;
            this.tenant = tenant;
        }

        /** The audio the caller heard: all of it until cut, nothing before it is synthesized. */
        long counted() {
            if (synthesizedMs == null) {
                return 0;
            }
            return heardMs == null ? synthesizedMs : Math.min(synthesizedMs, heardMs);
        }
    }

    static Applied apply(Connection c, List<SpeechDone> spoken, List<SpeechCut> cuts) throws SQLException {
        if (spoken.isEmpty() && cuts.isEmpty()) {
            return new Applied(Map.of(), List.of());
        }
        var items = load(c, spoken, cuts);
        var delta = new LinkedHashMap<String, Long>();
        var first = new ArrayList<SpeechDone>();
        for (var done : spoken) {
            var item = items.get(key(done.event().sessionId(), done.payload().itemId()));
            if (item.synthesizedMs != null) {
                continue;
            }
            long before = item.counted();
            item.synthesizedMs = done.payload().durationMs();
            delta.merge(item.session, item.counted() - before, Long::sum);
            first.add(done);
        }
        for (var cut : cuts) {
            var item = items.get(key(cut.event().sessionId(), cut.payload().itemId()));
            long before = item.counted();
            // truncating again can only shorten what was heard, so the order of two cuts does not matter
            item.heardMs = item.heardMs == null ? cut.payload().audioEndMs()
                    : Math.min(item.heardMs, cut.payload().audioEndMs());
            delta.merge(item.session, item.counted() - before, Long::sum);
        }
        var rows = items.values();
        Sql.run(c, """
                insert into agent_speech_items (session_id, item_id, tenant_id, synthesized_ms, heard_ms)
                select * from unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[])
                on conflict (session_id, item_id) do update
                    set synthesized_ms = excluded.synthesized_ms, heard_ms = excluded.heard_ms""",
                Sql.texts(c, rows, i -> i.session), Sql.texts(c, rows, i -> i.id), Sql.texts(c, rows, i -> i.tenant),
                Sql.longs(c, rows, i -> i.synthesizedMs), Sql.longs(c, rows, i -> i.heardMs));
        return new Applied(delta, first);
    }

    /** The batch's items, as stored or new. */
    private static Map<String, Item> load(Connection c, List<SpeechDone> spoken, List<SpeechCut> cuts)
            throws SQLException {
        var items = new LinkedHashMap<String, Item>();
        spoken.forEach(d -> items.computeIfAbsent(key(d.event().sessionId(), d.payload().itemId()),
                k -> new Item(d.event().sessionId(), d.payload().itemId(), d.event().tenantId())));
        cuts.forEach(t -> items.computeIfAbsent(key(t.event().sessionId(), t.payload().itemId()),
                k -> new Item(t.event().sessionId(), t.payload().itemId(), t.event().tenantId())));
        var wanted = items.values();
        try (var statement = c.prepareStatement("""
                select i.session_id, i.item_id, i.synthesized_ms, i.heard_ms from agent_speech_items i
                join unnest(?::text[], ?::text[]) as k(s, id) on i.session_id = k.s and i.item_id = k.id""")) {
            statement.setArray(1, Sql.texts(c, wanted, i -> i.session));
            statement.setArray(2, Sql.texts(c, wanted, i -> i.id));
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    var item = items.get(key(rows.getString(1), rows.getString(2)));
                    item.synthesizedMs = rows.getObject(3, Long.class);
                    item.heardMs = rows.getObject(4, Long.class);
                }
            }
        }
        return items;
    }

    private static String key(String session, String item) {
        return session + "\u0000" + item;
    }

    private SpeechItems() {
    }
}
