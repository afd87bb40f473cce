package io.voicecoach.analytics.ingest;

import io.voicecoach.analytics.ingest.Change.Checked;
import io.voicecoach.analytics.ingest.Change.Ended;
import io.voicecoach.analytics.ingest.Change.Started;
import io.voicecoach.analytics.ingest.Change.Summarized;
import io.voicecoach.analytics.ingest.Change.Updated;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a batch changes in one {@code sessions} row, folded in event order: a later value replaces an earlier one,
 * unknown (null) values leave the column as it is, client metadata merges key by key over the stored metadata.
 * {@code team} and {@code outcome} follow the merged metadata's keys of those names.
 */
final class SessionPatch {


    private final String sessionId;
    private String callId;
    private String repId;
    private String mode;
    private Instant startedAt;
    private Instant endedAt;
    private String endReason;
    private Long durationMs;
    private final Map<String, String> metadata = new TreeMap<>();
    private String summary;
    private String nextSteps;
    private String summaryModel;
    private Instant summarizedAt;
    private String compliance;

    SessionPatch(String sessionId) {
        this.sessionId = sessionId;
    }

    void started(Started s) {
        callId = s.payload().callId();
        repId = s.payload().repId();
        mode = s.payload().mode() != null ? s.payload().mode() : mode;
        startedAt = s.event().occurredAt();
        merge(s.payload().metadata());
    }

    void updated(Updated u) {
        mode = u.payload().mode() != null ? u.payload().mode() : mode;
        merge(u.payload().metadata());
    }

    void ended(Ended e) {
        endedAt = e.event().occurredAt();
        endReason = e.payload().reason();
        durationMs = e.payload().durationMs();
    }

    /** The latest checklist of the batch replaces the stored one (coaching sends each one whole). */
    void checked(Checked k) {
        compliance = k.checklist();
    }

    void summarized(Summarized s) {
        summary = s.payload().summary();
        nextSteps = BatchWriter.json(s.payload().nextSteps() == null ? List.of() : s.payload().nextSteps());
        summaryModel = s.payload().model();
        summarizedAt = s.event().occurredAt();
    }

    private void merge(Map<String, String> update) {
        if (update != null) {
            update.forEach((key, value) -> {
                if (key != null && value != null) {
                    metadata.put(key, value);
                }
            });
        }
    }

    static void write(Connection c, Collection<SessionPatch> patches) throws SQLException {
        if (patches.isEmpty()) {
            return;
        }
        try (var update = c.prepareStatement("""
                update sessions set call_id = coalesce(?, call_id), rep_id = coalesce(?, rep_id),
                       mode = coalesce(?, mode), started_at = coalesce(?::timestamptz, started_at),
                       ended_at = coalesce(?::timestamptz, ended_at), end_reason = coalesce(?, end_reason),
                       duration_ms = coalesce(?, duration_ms), metadata = metadata || ?::jsonb,
                       team = nullif(btrim((metadata || ?::jsonb) ->> 'team'), ''),
                       outcome = nullif(btrim((metadata || ?::jsonb) ->> 'outcome'), ''),
                       summary = coalesce(?, summary), next_steps = coalesce(?::jsonb, next_steps),
                       summary_model = coalesce(?, summary_model),
                       summarized_at = coalesce(?::timestamptz, summarized_at),
                       compliance = coalesce(?::jsonb, compliance)
                where session_id = ?""")) {
            for (SessionPatch p : patches) {
                String metadata = BatchWriter.json(p.metadata);
                Sql.setText(update, 1, p.callId);
                Sql.setText(update, 2, p.repId);
                Sql.setText(update, 3, p.mode);
                Sql.setText(update, 4, Sql.text(p.startedAt));
                Sql.setText(update, 5, Sql.text(p.endedAt));
                Sql.setText(update, 6, p.endReason);
                Sql.setLong(update, 7, p.durationMs);
                Sql.setText(update, 8, metadata);
                Sql.setText(update, 9, metadata);
                Sql.setText(update, 10, metadata);
                Sql.setText(update, 11, p.summary);
                Sql.setText(update, 12, p.nextSteps);
                Sql.setText(update, 13, p.summaryModel);
                Sql.setText(update, 14, Sql.text(p.summarizedAt));
                Sql.setText(update, 15, p.compliance);
                Sql.setText(update, 16, p.sessionId);
                update.addBatch();
            }
            update.executeBatch();
        }
    }
}
