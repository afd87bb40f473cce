package io.voicecoach.coaching.stage;

import io.voicecoach.coaching.detect.EngineFactory.Engine;
import io.voicecoach.events.StageChanged;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each call stands against the tenant's playbook, as a function of its {@link ProgressState} and the next final
 * transcript: the methodology stage ({@code coaching.stage_changed} when it changes), must-not-say phrases the rep
 * used (a priority-1 suggestion of kind {@code compliance}) and must-say phrases not said by their point in the call
 * (a nudge, once per phrase and session). The caller skips agent-mode sessions and publishes the outcome.
 */
public final class CallProgress {

    public static final String COMPLIANCE = "compliance";
    public static final String MUST_SAY = "must_say";

    /** What one transcript calls for. */
    public record Outcome(StageChanged stageChanged, ComplianceRules.Rule forbidden, List<ComplianceRules.Rule> missing) {
    }

    private CallProgress() {
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
        if (rep) {
            state.said().addAll(compliance.requiredIn(transcript.text()));
            forbidden = compliance.forbiddenIn(transcript.text()).orElse(null);
        }
        var missing = new ArrayList<ComplianceRules.Rule>();
        for (var rule : compliance.mustSay()) {
            if (transcript.endMs() >= rule.withinMs() && !state.said().contains(rule.id())
                    && state.nudged().add(rule.id())) {
                missing.add(rule);
            }
        }
        return new Outcome(changed, forbidden, missing);
    }
}
