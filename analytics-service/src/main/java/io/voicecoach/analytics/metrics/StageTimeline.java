package io.voicecoach.analytics.metrics;

import io.voicecoach.analytics.metrics.SessionMetrics.StageSpan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The call's stages as consecutive spans. Changes are taken by {@code atMs} (ties in arrival order). Each change
 * opens a span of its stage that lasts until the next change, the last one until the end of the call; a change to
 * the stage already current does not open a new span. Before the first change, its {@code previousStage} (when
 * given) runs from 0.
 */
final class StageTimeline {

    static List<StageSpan> of(List<StageChange> changes, long durationMs) {
        var sorted = changes.stream().sorted(Comparator.comparingLong(StageChange::atMs)).toList();
        var spans = new ArrayList<StageSpan>();
        if (sorted.isEmpty()) {
            return spans;
        }
        var first = sorted.getFirst();
        String current = null;
        String methodology = first.methodology();
        long since = 0;
        String openedBy = null;
        if (first.previousStage() != null && !first.previousStage().isBlank() && first.atMs() > 0) {
            current = first.previousStage();
        }
        for (StageChange change : sorted) {
            if (change.stage().equals(current)) {
                continue;
            }
            if (current != null) {
                spans.add(span(current, methodology, since, change.atMs(), openedBy));
            }
            current = change.stage();
            methodology = change.methodology();
            since = change.atMs();
            openedBy = change.utteranceId();
        }
        spans.add(span(current, methodology, since, Math.max(since, durationMs), openedBy));
        return spans;
    }

    private static StageSpan span(String stage, String methodology, long startMs, long endMs, String utteranceId) {
        return new StageSpan(stage, methodology, startMs, endMs, endMs - startMs, utteranceId);
    }

    private StageTimeline() {
    }
}
