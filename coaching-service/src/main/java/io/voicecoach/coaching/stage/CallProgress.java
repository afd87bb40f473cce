package io.voicecoach.coaching.stage;

import io.voicecoach.coaching.detect.EngineFactory.Engine;
import io.voicecoach.events.ComplianceChecklist;
import io.voicecoach.events.StageChanged;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Where each call stands against the tenant's playbook, as a function of its {@link ProgressState} and the next final
 * transcript: the methodology stage ({@code coaching.stage_changed} when it changes), must-not-say phrases the rep
 * used (a priority-1 suggestion of kind {@code compliance}) and must-say phrases not said by their point in the call
 * (a nudge, once per phrase and session). The caller skips agent-mode sessions and publishes the outcome.
 * A must-say deadline is checked on each transcript (call time: the transcript's end offset) and, for a call that
 * goes quiet, by the processor's timer ({@link #overdue}): call time 0 in event time ({@link #anchor}) plus the
 * rule's {@code withinSeconds}. A session without the rep's track ({@link #started}) is checked for its stage only: it
 * has no checklist and no must-say or must-not-say outcome.
 */
public final class CallProgress {

    public static final String COMPLIANCE = "compliance";
    public static final String MUST_SAY = "must_say";

    /** What one transcript calls for; {@code checklistChanged}: an item of the checklist changed its status. */
    public record Outcome(StageChanged stageChanged, ComplianceRules.Rule forbidden, List<ComplianceRules.Rule> missing,
                          boolean checklistChanged) {
    }

    private CallProgress() {
    }

    /**
     * {@code session.started}: a session whose {@code tracks} do not include {@code agent} (a customer leg of a call)
     * cannot say or break the rep's rules, so it gets neither nudges nor a checklist. Null or empty tracks: both.
     */
    public static void started(ProgressState state, List<String> tracks) {
        state.withoutRep(tracks != null && !tracks.isEmpty() && !tracks.contains(Track.AGENT));
    }

    /** Updates {@code state}; costs one embedding for a rep utterance without a stage cue. */
    public static Outcome assess(ProgressState state, Engine engine, Transcript transcript) {
        boolean rep = Track.AGENT.equals(transcript.track());
        var hit = engine.stages().classify(transcript.text(), rep);
        var compliance = engine.compliance();
        StageChanged changed = null;
        if (hit.isPresent() && !hit.get().stage().equals(state.stage())) {
            changed = new StageChanged(engine.stages().methodology(), hit.get().stage(), state.stage(),
                    transcript.utteranceId(), transcript.startMs());
            state.stage(hit.get().stage());
        }
        ComplianceRules.Rule forbidden = null;
        boolean ticked = false;
        if (rep && !state.withoutRep()) {
            for (String id : compliance.requiredIn(transcript.text())) {
                if (state.said().add(id)) {
                    state.saidIn().put(id, transcript.utteranceId());
                    ticked = true;
                }
            }
            forbidden = compliance.forbiddenIn(transcript.text()).orElse(null);
            if (forbidden != null && state.brokenIn().putIfAbsent(forbidden.id(), transcript.utteranceId()) == null) {
                ticked = true;
            }
        }
        var missing = new ArrayList<ComplianceRules.Rule>();
        for (var rule : state.withoutRep() ? List.<ComplianceRules.Rule>of() : compliance.mustSay()) {
            if (transcript.endMs() >= rule.withinMs() && !state.said().contains(rule.id())
                    && state.nudged().add(rule.id())) {
                missing.add(rule);
            }
        }
        state.nextMustSayAt(nextDue(state, compliance));
        return new Outcome(changed, forbidden, missing, ticked || !missing.isEmpty());
    }

    /**
     * The checklist as it stands, must-say rules first, in the playbook's order; {@code closed}: the call ended, so a
     * must-say rule not said is missed. Null when the playbook has no compliance rules or the session lacks the rep.
     */
    public static ComplianceChecklist checklist(ProgressState state, Engine engine, boolean closed) {
        if (state.withoutRep()) {
            return null;
        }
        var compliance = engine.compliance();
        var items = new ArrayList<ComplianceChecklist.Item>();
        for (var rule : compliance.mustSay()) {
            String said = state.saidIn().get(rule.id());
            String status = state.said().contains(rule.id()) ? ComplianceChecklist.SAID
                    : closed || state.nudged().contains(rule.id()) ? ComplianceChecklist.MISSED
                    : ComplianceChecklist.PENDING;
            items.add(new ComplianceChecklist.Item(rule.id(), ComplianceChecklist.MUST_SAY, status, rule.message(),
                    rule.withinMs(), said));
        }
        for (var rule : compliance.mustNotSay()) {
            String broken = state.brokenIn().get(rule.id());
            items.add(new ComplianceChecklist.Item(rule.id(), ComplianceChecklist.MUST_NOT_SAY,
                    broken == null ? ComplianceChecklist.KEPT : ComplianceChecklist.BROKEN, rule.message(), 0, broken));
        }
        return items.isEmpty() ? null : new ComplianceChecklist(items, closed);
    }

    /**
     * Sets call time 0 once: {@code session.started}'s time, or (a session whose start this instance never saw) a
     * transcript's publication minus its end offset. Then schedules the first must-say deadline.
     */
    public static void anchor(ProgressState state, Engine engine, Instant callStart, UUID eventId) {
        if (state.callStart() == null) {
            state.callStart(callStart, eventId);
            state.nextMustSayAt(nextDue(state, engine.compliance()));
        }
    }

    /**
     * The must-say rules neither said nor nudged about whose deadline {@code passed}, marked as nudged; the next
     * deadline is scheduled.
     */
    public static List<ComplianceRules.Rule> overdue(ProgressState state, Engine engine, Predicate<Instant> passed) {
        var missing = new ArrayList<ComplianceRules.Rule>();
        if (state.callStart() == null || state.withoutRep()) {
            return missing;
        }
        var compliance = engine.compliance();
        for (var rule : compliance.mustSay()) {
            if (!state.said().contains(rule.id()) && !state.nudged().contains(rule.id())
                    && passed.test(dueAt(state, rule)) && state.nudged().add(rule.id())) {
                missing.add(rule);
            }
        }
        state.nextMustSayAt(nextDue(state, compliance));
        return missing;
    }

    private static Instant nextDue(ProgressState state, ComplianceRules compliance) {
        if (state.callStart() == null) {
            return null;
        }
        return compliance.mustSay().stream()
                .filter(rule -> !state.said().contains(rule.id()) && !state.nudged().contains(rule.id()))
                .map(rule -> dueAt(state, rule)).min(Instant::compareTo).orElse(null);
    }

    private static Instant dueAt(ProgressState state, ComplianceRules.Rule rule) {
        return state.callStart().plusMillis(rule.withinMs());
    }
}
