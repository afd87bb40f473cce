package io.voicecoach.coaching.stage;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.voicecoach.coaching.BoundedLru;
import io.voicecoach.coaching.CoachingConfig;
import io.voicecoach.coaching.detect.Detection;
import io.voicecoach.coaching.detect.EngineFactory.Engine;
import io.voicecoach.coaching.detect.TenantEngines;
import io.voicecoach.coaching.nudge.Nudge;
import io.voicecoach.coaching.nudge.NudgeEngine;
import io.voicecoach.coaching.suggest.Suggestions;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.StageChanged;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where each call stands against the tenant's playbook: the methodology stage ({@code coaching.stage_changed} when
 * it changes), must-not-say phrases the rep used (a priority-1 suggestion of kind {@code compliance}) and must-say
 * phrases not said by their point in the call (a nudge, once per phrase and session). Agent-mode sessions are
 * skipped. Session state is LRU-bounded and dropped at {@code session.ended}.
 */
@ApplicationScoped
public class CallProgress {

    public static final String COMPLIANCE = "compliance";
    public static final String MUST_SAY = "must_say";

    private static final class CallState {
        String stage;
        final Set<String> said = new HashSet<>();
        final Set<String> nudged = new HashSet<>();
    }

    /** What one transcript calls for; built under the session's lock, published after. */
    private record Outcome(StageChanged stageChanged, ComplianceRules.Rule forbidden, List<ComplianceRules.Rule> missing) {
    }

    private final TenantEngines engines;
    private final Suggestions suggestions;
    private final NudgeEngine nudges;
    private final boolean enabled;
    private final BoundedLru<String, CallState> calls;

    public CallProgress(TenantEngines engines, Suggestions suggestions, NudgeEngine nudges, CoachingConfig config) {
        this.engines = engines;
        this.suggestions = suggestions;
        this.nudges = nudges;
        this.enabled = config.stages().enabled();
        this.calls = new BoundedLru<>(config.sessionCapacity());
    }

    public Uni<Void> onFinalTranscript(Envelope event, Transcript transcript) {
        if (!enabled || nudges.inAgentMode(event.tenantId(), event.sessionId()) || transcript.text() == null) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().item(() -> assess(event, transcript))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(outcome -> publish(event, transcript, outcome));
    }

    public void ended(String tenantId, String sessionId) {
        calls.remove(key(tenantId, sessionId));
    }

    /** The current stage of a session, or null (tests, diagnostics). */
    public String stageOf(String tenantId, String sessionId) {
        var state = calls.get(key(tenantId, sessionId));
        if (state == null) {
            return null;
        }
        synchronized (state) {
            return state.stage;
        }
    }

    /** Blocking (tenant engine lookup, one embedding): runs on a worker thread. */
    private Outcome assess(Envelope event, Transcript transcript) {
        Engine engine = engines.forTenant(event.tenantId());
        boolean rep = Track.AGENT.equals(transcript.track());
        var hit = engine.stages().classify(transcript.text(), rep);
        var compliance = engine.compliance();
        var state = calls.computeIfAbsent(key(event.tenantId(), event.sessionId()), k -> new CallState());
        synchronized (state) {
            StageChanged changed = null;
            if (hit.isPresent() && !hit.get().stage().equals(state.stage)) {
                changed = new StageChanged(engine.stages().methodology(), hit.get().stage(), state.stage,
                        transcript.utteranceId(), transcript.startMs());
                state.stage = hit.get().stage();
            }
            ComplianceRules.Rule forbidden = null;
            if (rep) {
                state.said.addAll(compliance.requiredIn(transcript.text()));
                forbidden = compliance.forbiddenIn(transcript.text()).orElse(null);
            }
            var missing = new ArrayList<ComplianceRules.Rule>();
            for (var rule : compliance.mustSay()) {
                if (transcript.endMs() >= rule.withinMs() && !state.said.contains(rule.id())
                        && state.nudged.add(rule.id())) {
                    missing.add(rule);
                }
            }
            return new Outcome(changed, forbidden, missing);
        }
    }

    private Uni<Void> publish(Envelope event, Transcript transcript, Outcome outcome) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        if (outcome.stageChanged() != null) {
            chain = chain.chain(() -> suggestions.publishEvent(event, EventTypes.STAGE_CHANGED, outcome.stageChanged(),
                    "stage-event"));
        }
        if (outcome.forbidden() != null) {
            var rule = outcome.forbidden();
            var suggestion = new Suggestion(io.voicecoach.coaching.DerivedIds.of("compliance", event.eventId()).toString(),
                    transcript.utteranceId(), COMPLIANCE, rule.id(), "Compliance: do not say that",
                    rule.message(), 1.0, Detection.RULES, 1, null, event.occurredAt(), transcript.receivedAt());
            chain = chain.chain(() -> suggestions.publish(event, suggestion, "compliance-event"));
        }
        for (var rule : outcome.missing()) {
            var nudge = new Nudge(MUST_SAY + "." + rule.id(), 2, "Not said yet: " + rule.id().replace('_', ' '),
                    rule.message());
            chain = chain.chain(() -> suggestions.publishNudge(event, transcript, nudge, "must-say-" + rule.id()));
        }
        return chain;
    }

    private static String key(String tenantId, String sessionId) {
        return tenantId + "/" + sessionId;
    }
}
