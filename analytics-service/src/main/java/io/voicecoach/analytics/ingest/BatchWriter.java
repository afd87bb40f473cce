package io.voicecoach.analytics.ingest;

import io.voicecoach.analytics.ingest.Change.Carded;
import io.voicecoach.analytics.ingest.Change.Checked;
import io.voicecoach.analytics.ingest.Change.Ended;
import io.voicecoach.analytics.ingest.Change.LlmCalled;
import io.voicecoach.analytics.ingest.Change.Receipt;
import io.voicecoach.analytics.ingest.Change.Spoken;
import io.voicecoach.analytics.ingest.Change.Staged;
import io.voicecoach.analytics.ingest.Change.SpeechCut;
import io.voicecoach.analytics.ingest.Change.SpeechDone;
import io.voicecoach.analytics.ingest.Change.SpeechFailed;
import io.voicecoach.analytics.ingest.Change.Started;
import io.voicecoach.analytics.ingest.Change.Suggested;
import io.voicecoach.analytics.ingest.Change.Summarized;
import io.voicecoach.analytics.ingest.Change.ToolAnswered;
import io.voicecoach.analytics.ingest.Change.ToolRequested;
import io.voicecoach.analytics.ingest.Change.TranscriptionFailed;
import io.voicecoach.analytics.ingest.Change.Updated;
import io.voicecoach.events.EventJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies a batch of one topic's events in one transaction, with a handful of multi-row statements:
 * <ol>
 * <li>claims and locks the batch's sessions (sorted, so concurrent batches of other topics wait rather than
 * deadlock): a session belongs to the tenant of its first event; events of another tenant are rejected;</li>
 * <li>drops events of erased sessions;</li>
 * <li>records the event ids in {@code processed_events} ({@code on conflict do nothing}): ids seen before are
 * duplicates and change nothing;</li>
 * <li>folds the new events per row, in their order (the last utterance of an id wins, the earliest delivery of a
 * suggestion counts, metadata merges), and writes each table once (a suggestion's battle card after the
 * suggestions, so a card in the same batch as its suggestion finds the row).</li>
 * </ol>
 */
@ApplicationScoped
public class BatchWriter {

    /**
     * What a batch did.
     *
     * @param rejected events naming another tenant's session (or suggestion, or tool call)
     * @param failed   events the database refused (applied one by one after their batch failed)
     */
    public record Outcome(List<Change> applied, int duplicates, int erased, List<Rejected> rejected,
                          List<Rejected> failed) {

        static final Outcome NONE = new Outcome(List.of(), 0, 0, List.of(), List.of());

        Outcome plus(Outcome other) {
            return new Outcome(concat(applied, other.applied), duplicates + other.duplicates, erased + other.erased,
                    concat(rejected, other.rejected), concat(failed, other.failed));
        }

        private static <T> List<T> concat(List<T> a, List<T> b) {
            var all = new ArrayList<T>(a);
            all.addAll(b);
            return all;
        }
    }

    public record Rejected(Change change, String reason) {
    }

    private final DataSource dataSource;
    private final SpeechPrices prices;

    public BatchWriter(DataSource dataSource, SpeechPrices prices) {
        this.dataSource = dataSource;
        this.prices = prices;
    }

    @Transactional
    public Outcome write(String topic, List<Change> changes) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            var owners = lockSessions(c, changes);
            var erased = erased(c, owners.keySet());
            var rejected = new ArrayList<Rejected>();
            var admitted = new ArrayList<Change>();
            var rowOwners = new RowOwners(c, changes);
            for (Change change : changes) {
                var e = change.event();
                if (erased.contains(e.sessionId())) {
                    admitted.add(change);
                } else if (!e.tenantId().equals(owners.get(e.sessionId()))) {
                    rejected.add(new Rejected(change, "session " + e.sessionId() + " belongs to another tenant"));
                } else {
                    String conflict = rowOwners.claim(change);
                    if (conflict != null) {
                        rejected.add(new Rejected(change, conflict));
                    } else {
                        admitted.add(change);
                    }
                }
            }
            var fresh = markProcessed(c, topic, admitted);
            int duplicates = admitted.size() - fresh.size();
            var applied = fresh.stream().filter(ch -> !erased.contains(ch.event().sessionId())).toList();
            apply(c, applied);
            return new Outcome(applied, duplicates, fresh.size() - applied.size(), rejected, List.of());
        }
    }

    /** @return owner tenant per session of the batch, the rows locked until commit */
    private static Map<String, String> lockSessions(Connection c, List<Change> changes) throws SQLException {
        Map<String, String> firstTenant = new TreeMap<>();
        changes.forEach(ch -> firstTenant.putIfAbsent(ch.event().sessionId(), ch.event().tenantId()));
        var ids = firstTenant.entrySet();
        Sql.run(c, """
                insert into sessions (session_id, tenant_id)
                select s, t from unnest(?::text[], ?::text[]) as k(s, t) order by s
                on conflict (session_id) do nothing""",
                Sql.texts(c, ids, Map.Entry::getKey), Sql.texts(c, ids, Map.Entry::getValue));
        Map<String, String> owners = new HashMap<>();
        try (var lock = c.prepareStatement(
                "select session_id, tenant_id from sessions where session_id = any(?) order by session_id for update")) {
            lock.setArray(1, Sql.texts(c, ids, Map.Entry::getKey));
            try (var rows = lock.executeQuery()) {
                while (rows.next()) {
                    owners.put(rows.getString(1), rows.getString(2));
                }
            }
        }
        return owners;
    }

    /** Erased sessions among {@code sessionIds}; the rows just claimed for them are removed again. */
    private static Set<String> erased(Connection c, Set<String> sessionIds) throws SQLException {
        var erased = new HashSet<>(Sql.run(c, "select session_id from erased_sessions where session_id = any(?)",
                Sql.texts(c, sessionIds, id -> id)));
        if (!erased.isEmpty()) {
            Sql.run(c, "delete from sessions where session_id = any(?)", Sql.texts(c, erased, id -> id));
        }
        return erased;
    }

    /** Records the events' ids; returns the events not recorded before (first of each id within the batch). */
    private static List<Change> markProcessed(Connection c, String topic, List<Change> changes) throws SQLException {
        Map<String, Change> byId = new LinkedHashMap<>();
        changes.forEach(ch -> byId.putIfAbsent(ch.event().eventId().toString(), ch));
        if (byId.isEmpty()) {
            return List.of();
        }
        var recorded = new HashSet<>(Sql.run(c, """
                insert into processed_events (event_id, topic, processed_at)
                select e::uuid, t, now() from unnest(?::text[], ?::text[]) as k(e, t)
                on conflict (event_id) do nothing returning event_id""",
                Sql.texts(c, byId.keySet(), id -> id), Sql.texts(c, byId.keySet(), id -> topic)));
        return byId.entrySet().stream().filter(en -> recorded.contains(en.getKey())).map(Map.Entry::getValue).toList();
    }

    private void apply(Connection c, List<Change> changes) throws SQLException {
        Map<String, SessionPatch> sessions = new LinkedHashMap<>();
        Map<String, Spoken> utterances = new LinkedHashMap<>();
        Map<String, Suggested> suggestions = new LinkedHashMap<>();
        Map<String, ReceiptFold> receipts = new LinkedHashMap<>();
        Map<String, Carded> cards = new LinkedHashMap<>();
        Map<String, ToolRequested> toolCalls = new LinkedHashMap<>();
        Map<String, ToolAnswered> toolResults = new LinkedHashMap<>();
        var stages = new ArrayList<Staged>();
        var llmCalls = new ArrayList<LlmCalled>();
        var failures = new ArrayList<TranscriptionFailed>();
        var spoken = new ArrayList<SpeechDone>();
        var speechFailures = new ArrayList<SpeechFailed>();
        var cuts = new ArrayList<SpeechCut>();
        for (Change change : changes) {
            String session = change.event().sessionId();
            switch (change) {
                case Started s -> sessions.computeIfAbsent(session, SessionPatch::new).started(s);
                case Updated u -> sessions.computeIfAbsent(session, SessionPatch::new).updated(u);
                case Ended e -> sessions.computeIfAbsent(session, SessionPatch::new).ended(e);
                case Summarized s -> sessions.computeIfAbsent(session, SessionPatch::new).summarized(s);
                case Checked k -> sessions.computeIfAbsent(session, SessionPatch::new).checked(k);
                case Spoken s -> utterances.put(Rows.utteranceKey(session, s.payload().utteranceId()), s);
                case Suggested s -> suggestions.put(s.payload().suggestionId(), s);
                case Receipt r -> receipts.computeIfAbsent(r.payload().suggestionId(), id -> new ReceiptFold(r)).add(r);
                case Carded card -> cards.put(card.payload().suggestionId(), card);
                case ToolRequested t -> toolCalls.put(t.payload().callId(), t);
                case ToolAnswered t -> toolResults.put(t.payload().callId(), t);
                case Staged s -> stages.add(s);
                case LlmCalled l -> llmCalls.add(l);
                case TranscriptionFailed f -> failures.add(f);
                case SpeechDone d -> spoken.add(d);
                case SpeechFailed f -> speechFailures.add(f);
                case SpeechCut cut -> cuts.add(cut);
            }
        }
        SessionPatch.write(c, sessions.values());
        var stored = Rows.storedUtterances(c, utterances.values());
        SessionCounters.utterances(c, utterances.values(), stored.values());
        Rows.utterances(c, utterances.values(), stored.keySet());
        Rows.suggestions(c, suggestions.values());
        Rows.receipts(c, receipts.values());
        Rows.cards(c, cards.values());
        var suggestionSessions = new HashSet<String>();
        suggestions.values().forEach(s -> suggestionSessions.add(s.event().sessionId()));
        receipts.values().forEach(r -> suggestionSessions.add(r.first.event().sessionId()));
        SessionCounters.suggestions(c, suggestionSessions);
        Rows.toolCalls(c, toolCalls.values());
        Rows.toolResults(c, toolResults.values());
        Rows.stages(c, stages);
        Rows.llmCalls(c, llmCalls);
        SessionCounters.llmCalls(c, llmCalls);
        Rows.failures(c, failures);
        SessionCounters.failures(c, failures);
        SessionCounters.speech(c, spoken, cuts, speechFailures, prices);
    }

    /** Receipts of one suggestion in a batch: the earliest delivery counts, the first known ids and times are kept. */
    static final class ReceiptFold {
        final Receipt first;
        String utteranceId;
        java.time.Instant suggestedAt;
        java.time.Instant deliveredAt;

        ReceiptFold(Receipt first) {
            this.first = first;
        }

        void add(Receipt r) {
            var p = r.payload();
            utteranceId = utteranceId != null ? utteranceId : p.utteranceId();
            suggestedAt = suggestedAt != null ? suggestedAt : p.suggestedAt();
            deliveredAt = deliveredAt == null || p.deliveredAt().isBefore(deliveredAt) ? p.deliveredAt() : deliveredAt;
        }
    }

    /**
     * Suggestion and tool call ids are global: the first session to name one owns it. An event naming an id owned by
     * another session (or tenant) is rejected.
     */
    private static final class RowOwners {
        private final Map<String, String> suggestions = new HashMap<>();
        private final Map<String, String> toolCalls = new HashMap<>();

        RowOwners(Connection c, List<Change> changes) throws SQLException {
            var suggestionIds = new HashSet<String>();
            var callIds = new HashSet<String>();
            for (Change change : changes) {
                switch (change) {
                    case Suggested s -> suggestionIds.add(s.payload().suggestionId());
                    case Receipt r -> suggestionIds.add(r.payload().suggestionId());
                    case Carded card -> suggestionIds.add(card.payload().suggestionId());
                    case ToolRequested t -> callIds.add(t.payload().callId());
                    case ToolAnswered t -> callIds.add(t.payload().callId());
                    default -> {
                    }
                }
            }
            load(c, "select suggestion_id, tenant_id, session_id from suggestions where suggestion_id = any(?)",
                    suggestionIds, suggestions);
            load(c, "select call_id, tenant_id, session_id from tool_calls where call_id = any(?)", callIds, toolCalls);
        }

        private static void load(Connection c, String sql, Set<String> ids, Map<String, String> into)
                throws SQLException {
            if (ids.isEmpty()) {
                return;
            }
            try (var statement = c.prepareStatement(sql)) {
                statement.setArray(1, Sql.texts(c, ids, id -> id));
                try (var rows = statement.executeQuery()) {
                    while (rows.next()) {
                        into.put(rows.getString(1), rows.getString(2) + "\u0000" + rows.getString(3));
                    }
                }
            }
        }

        /** @return why the change cannot be applied, or null when its row (if any) is its session's */
        String claim(Change change) {
            return switch (change) {
                case Suggested s -> claim(suggestions, s.payload().suggestionId(), change, "suggestion");
                case Receipt r -> claim(suggestions, r.payload().suggestionId(), change, "suggestion");
                case Carded card -> claim(suggestions, card.payload().suggestionId(), change, "suggestion");
                case ToolRequested t -> claim(toolCalls, t.payload().callId(), change, "tool call");
                case ToolAnswered t -> claim(toolCalls, t.payload().callId(), change, "tool call");
                default -> null;
            };
        }

        private static String claim(Map<String, String> owners, String id, Change change, String what) {
            String owner = change.event().tenantId() + "\u0000" + change.event().sessionId();
            String existing = owners.putIfAbsent(id, owner);
            return existing == null || existing.equals(owner) ? null
                    : what + " " + id + " belongs to another session";
        }
    }

    static String json(Object value) {
        return value == null ? null : EventJson.tree(value).toString();
    }
}
