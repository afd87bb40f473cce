package io.voicecoach.coaching.session;

import io.voicecoach.coaching.CoachingConfig;
import io.voicecoach.coaching.DerivedIds;
import io.voicecoach.coaching.agent.AgentRounds;
import io.voicecoach.coaching.call.CallTalk;
import io.voicecoach.coaching.call.FarSpeech;
import io.voicecoach.coaching.call.LegSpeech;
import io.voicecoach.coaching.detect.Detection;
import io.voicecoach.coaching.detect.EngineFactory.Engine;
import io.voicecoach.coaching.detect.TenantEngines;
import io.voicecoach.coaching.kb.KnowledgeBase;
import io.voicecoach.coaching.llm.CallSummaries;
import io.voicecoach.coaching.llm.Conversations;
import io.voicecoach.coaching.llm.LiveCoach;
import io.voicecoach.coaching.nudge.LiveMonologue;
import io.voicecoach.coaching.nudge.Nudge;
import io.voicecoach.coaching.nudge.NudgeEngine;
import io.voicecoach.coaching.stage.CallProgress;
import io.voicecoach.coaching.stage.ComplianceRules;
import io.voicecoach.coaching.suggest.CoachingMetrics;
import io.voicecoach.coaching.suggest.Suggestions;
import io.voicecoach.coaching.tools.BattleCardRequests;
import io.voicecoach.events.Event;
import io.voicecoach.events.ResponseCancelRequested;
import io.voicecoach.events.SessionEnded;
import io.voicecoach.events.ResponseRequested;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.ItemCreated;
import io.voicecoach.events.ItemTruncated;
import io.voicecoach.events.SessionUpdated;
import io.voicecoach.events.SpeechStarted;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.SuggestionCard;
import io.voicecoach.events.ToolResult;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What coaching does with each event of a session, as a function of the session's state: the state changes in place
 * and the records to publish are collected in {@link Outputs}. No Kafka, no clock, no database here (the playbook
 * engines and knowledge base are in-memory caches), so a session processed again from its events and state gives the
 * same outputs with the same ids. {@link SessionProcessor} does the Kafka part.
 */
@ApplicationScoped
public class SessionLogic {

    private static final Logger LOG = Logger.getLogger(SessionLogic.class);

    /**
     * A battle card is given up by the wall clock only this long after its wait (in a partition where no newer record
     * moves stream time on): nothing waits for it, and an answer published in time must not lose to a busy machine.
     */
    static final Duration CARD_WALL_SLACK = Duration.ofSeconds(30);

    /** How a {@code tool.result} was used. */
    public enum ResultUse { CARD, AGENT, LATE, UNKNOWN }

    private final NudgeEngine nudges;
    private final TenantEngines engines;
    private final KnowledgeBase knowledge;
    private final AgentRounds agent;
    private final LiveCoach live;
    private final CallSummaries summaries;
    private final Conversations conversations;
    private final CoachingMetrics metrics;
    private final Duration battleCardWait;
    private final boolean stages;
    private final Duration mustSayGrace;
    private final boolean mustSayTimer;
    private final Duration endGrace;
    private final int maxUtteranceChars;
    private final boolean joinCalls;

    public SessionLogic(NudgeEngine nudges, TenantEngines engines, KnowledgeBase knowledge, AgentRounds agent,
                        LiveCoach live, CallSummaries summaries, Conversations conversations, CoachingMetrics metrics,
                        CoachingConfig config) {
        this.nudges = nudges;
        this.engines = engines;
        this.knowledge = knowledge;
        this.agent = agent;
        this.live = live;
        this.summaries = summaries;
        this.conversations = conversations;
        this.metrics = metrics;
        this.battleCardWait = config.battleCardWait();
        this.stages = config.stages().enabled();
        this.mustSayGrace = config.stages().mustSayGrace();
        this.mustSayTimer = config.stages().mustSayTimer();
        this.endGrace = config.stages().endGrace();
        this.maxUtteranceChars = config.maxUtteranceChars();
        this.joinCalls = config.calls().join();
    }

    public SessionState newState(String tenantId, String sessionId) {
        return new SessionState(tenantId, sessionId, nudges.newState());
    }

    /**
     * A final transcript: a nudge when the rep's talk pattern calls for one; at most one objection (a category not
     * repeated within its cool-down, with its battle card asked for) or buying signal; the voice agent's turn or LLM
     * coaching; then the call's stage and compliance.
     */
    public void onFinalTranscript(SessionState session, LazyConversation conversation, Event<?> event,
                                  Transcript said, Outputs out) {
        onFinalTranscript(session, conversation, event, said, true, out);
    }

    /**
     * As above; with {@code classify} false (the tenant used up its share of the stream thread) the utterance is
     * recorded (talk time, nudges, the agent, LLM coaching) but not classified: no rules or embeddings suggestion, no
     * stage or compliance check.
     */
    public void onFinalTranscript(SessionState session, LazyConversation conversation, Event<?> event,
                                  Transcript said, boolean classify, Outputs out) {
        if (!firstTime(session, event)) {
            metrics.duplicate();
            return;
        }
        var transcript = bounded(said);
        boolean agentMode = session.agent().agentMode();
        tellCall(session, event, transcript, out);
        nudges.onFinalTranscript(session.nudges, agentMode, transcript, event.occurredAt()).ifPresent(nudge ->
                out.publish(DerivedIds.of("nudge-event", event.eventId()),
                        Suggestions.nudge(event, transcript, nudge, "nudge")));
        Engine engine = engines.cached(session.tenantId);
        var found = classify ? engine.detector().detect(transcript) : Optional.<Detection>empty();
        found.ifPresent(detection -> suggest(session, event, transcript, detection, out));
        boolean customer = Track.CUSTOMER.equals(transcript.track());
        if (agentMode) {
            if (customer && !transcript.text().isBlank()) {
                agent.onCallerSaid(session, conversation.get(), event, transcript.text(), out);
            }
        } else if (!transcript.text().isBlank() && live.enabledFor(session.tenantId)) {
            var turns = conversation.get().turns();
            var before = List.copyOf(turns);
            conversations.record(turns, new Conversations.Turn(customer ? "customer" : "rep", transcript.text()));
            if (customer) {
                out.handOff(() -> live.afterRules(event, transcript, found, before));
            }
        }
        if (stages && !agentMode && classify) {
            progress(session, engine, event, transcript, out);
        }
    }

    /**
     * A partial transcript: the monologue nudge while the rep's speech goes on. Not de-duplicated by id (partials are
     * many and would push finals' ids out of the list): a repeat changes nothing, and the nudge's id derives from it.
     */
    public void onPartialTranscript(SessionState session, Event<?> event, Transcript partial, Outputs out) {
        touch(session, event);
        tellCall(session, event, partial, out);
        nudges.onPartialTranscript(session.nudges, session.agent().agentMode(), partial, event.eventId(),
                event.occurredAt()).ifPresent(nudge -> out.publish(DerivedIds.of("live-nudge-event", event.eventId()),
                Suggestions.nudge(event, partial, nudge, "live-nudge")));
    }

    /**
     * Customer speech another leg of the session's call heard ({@code coach.leg.talk}): the far end of this session's
     * talk measures when it does not carry the customer's track itself. A final counts once (its id); a partial again
     * changes nothing.
     */
    public void onFarSpeech(SessionState session, FarSpeech far) {
        if (session.lastEventAt == null || far.at().isAfter(session.lastEventAt)) {
            session.lastEventAt = far.at();
        }
        var speech = far.speech();
        if (!Track.CUSTOMER.equals(speech.track()) || (speech.isFinal() && !session.firstTime(far.eventId()))) {
            return;
        }
        nudges.onFarEndSpeech(session.nudges, speech.utteranceId(), speech.isFinal(), speech.startAt(), speech.endAt());
    }

    /** {@code session.started} of a session in a call: the call's task is told it is a leg. */
    private void joinCall(SessionState session, Event<?> event, String callId, Outputs out) {
        if (!joinCalls || callId == null || callId.isBlank()) {
            return;
        }
        session.callId = callId;
        out.toCall(new CallTalk(CallTalk.JOINED, DerivedIds.of("call-joined", event.eventId()), session.tenantId,
                callId, session.sessionId, event.occurredAt(), null));
    }

    /**
     * The customer's speech a leg of a call hears goes to the call's other legs, on the wall clock (each leg's offsets
     * count from its own start): it ends at its transcript's {@code receivedAt}. The rep's speech stays here: no other
     * leg uses it (a leg without the rep's track gives no rep nudges).
     */
    private static void tellCall(SessionState session, Event<?> event, Transcript said, Outputs out) {
        if (session.callId == null || !Track.CUSTOMER.equals(said.track()) || said.endMs() <= said.startMs()) {
            return;
        }
        var end = said.receivedAt() != null ? said.receivedAt() : event.occurredAt();
        var speech = new LegSpeech(said.utteranceId(), said.track(), said.isFinal(),
                end.minusMillis(said.endMs() - said.startMs()), end);
        out.toCall(new CallTalk(CallTalk.SPEECH, DerivedIds.of("call-speech", event.eventId()), session.tenantId,
                session.callId, session.sessionId, event.occurredAt(), speech));
    }

    /** The utterance cut at {@code max-utterance-chars} (counted), so a huge typed message costs a bounded amount. */
    private Transcript bounded(Transcript transcript) {
        if (transcript.text().length() <= maxUtteranceChars) {
            return transcript;
        }
        metrics.utteranceCut();
        return new Transcript(transcript.utteranceId(), transcript.track(),
                transcript.text().substring(0, maxUtteranceChars), transcript.isFinal(), transcript.startMs(),
                transcript.endMs(), transcript.confidence(), transcript.engine(), transcript.receivedAt());
    }

    /** {@code voice.sessions}: mode, instructions, barge-in, response requests, the end of the call. */
    public void onSessionEvent(SessionState session, LazyConversation conversation, Event<?> event, Outputs out) {
        if (!firstTime(session, event)) {
            return;
        }
        switch (event.payload()) {
            case SessionStarted started -> {
                nudges.onSessionStarted(session.nudges, event.occurredAt());
                joinCall(session, event, started.callId(), out);
                agent.onSessionStarted(session, started.mode());
                CallProgress.started(session.progress, started.tracks());
                engines.prefetch(session.tenantId);
                knowledge.prefetch(session.tenantId);
                if (stages && !session.agent().agentMode()) {
                    var engine = engines.cached(session.tenantId);
                    if (mustSayTimer) {
                        CallProgress.anchor(session.progress, engine, event.occurredAt(), event.eventId());
                    }
                    publishChecklist(session, engine, false, DerivedIds.of("checklist-start-event", event.eventId()),
                            out);
                }
            }
            case SessionUpdated updated -> agent.onSessionUpdated(session, conversation.get(), updated.mode(),
                    updated.instructions(), updated.output(), updated.tools(), updated.toolChoice(), event.occurredAt(),
                    out);
            case ItemCreated item -> {
                if ("function_call_output".equals(item.type()) && item.callId() != null) {
                    agent.onFunctionOutput(session, conversation.get(), item.callId(), item.output());
                }
            }
            case SpeechStarted speech -> {
                if (Track.CUSTOMER.equals(speech.track())) {
                    agent.cancel(session, conversation.get(), null, event.occurredAt(), out);
                }
            }
            case ItemTruncated truncated -> agent.onItemTruncated(conversation.get(), truncated.itemId(),
                    truncated.heardText());
            case ResponseCancelRequested cancel -> agent.cancel(session, conversation.get(), cancel.responseId(),
                    event.occurredAt(), out);
            case ResponseRequested requested -> {
                if (session.agent().agentMode()) {
                    agent.onResponseRequested(session, conversation.get(), event, requested.instructions(), out);
                }
            }
            case SessionEnded ended -> {
                if (stages && !session.agent().agentMode() && !session.ended) {
                    session.closing = new SessionState.PendingClose(event.eventId(), event.occurredAt().plus(endGrace));
                }
                if (session.callId != null && !session.ended) {
                    out.toCall(new CallTalk(CallTalk.LEFT, DerivedIds.of("call-left", event.eventId()),
                            session.tenantId, session.callId, session.sessionId, event.occurredAt(), null));
                }
                var turns = conversation.get().turns();
                agent.cancel(session, conversation.get(), null, event.occurredAt(), out);
                if (summaries.wanted(session.tenantId, turns)) {
                    session.summary = new SessionState.PendingSummary(event.eventId(), 1);
                    var said = List.copyOf(turns);
                    out.handOff(() -> summaries.start(CallSummaries.Ended.of(event), 1, said));
                }
                session.ended = true;
            }
            default -> {
            }
        }
    }

    /** A {@code tool.result} of this tenant's session: a battle card awaited, or one of the agent's tool calls. */
    public ResultUse onToolResult(SessionState session, LazyConversation conversation, Event<?> event,
                                  ToolResult result, Outputs out) {
        var card = session.cards.remove(result.callId());
        if (card != null) {
            if (event.occurredAt().isAfter(card.deadline())) {
                metrics.battleCard(BattleCardRequests.Outcome.TIMEOUT);
                return ResultUse.LATE;
            }
            var found = BattleCardRequests.card(result);
            found.ifPresent(battleCard -> out.publish(DerivedIds.of("battle-card-event", card.triggerEventId()),
                    new SuggestionCard(card.suggestionId(), card.utteranceId(), battleCard)));
            metrics.battleCard(found.isPresent() ? BattleCardRequests.Outcome.CARD : BattleCardRequests.Outcome.ERROR);
            return ResultUse.CARD;
        }
        if (session.agent().reply() != null && agent.onToolResult(session, conversation.get(), event, result, out)) {
            return ResultUse.AGENT;
        }
        return ResultUse.UNKNOWN;
    }

    /** An event the agent's worker published on {@code agent.replies}. */
    public void onReplyEvent(SessionState session, LazyConversation conversation, Event<?> event,
                             Map<String, String> headers, Outputs out) {
        if (session.agent().reply() != null) {
            agent.onReplyEvent(session, conversation.get(), event, headers, out);
        }
    }

    /**
     * Deadlines: the monologue going on reaching its threshold, battle cards no longer awaited, the agent's tool
     * timeouts and lost workers, must-say phrases, the end-of-call checklist.
     */
    public void onTime(SessionState session, LazyConversation conversation, Deadlines deadlines, Outputs out) {
        liveMonologue(session).filter(live -> deadlines.passed(live.due()))
                .ifPresent(live -> nudges.onLiveMonologueDue(session.nudges, live).ifPresent(nudge ->
                        out.publish(DerivedIds.of("timed-nudge-event", live.partialEventId()),
                                Suggestions.liveMonologueNudge(live, nudge))));
        var cards = session.cards.values().iterator();
        while (cards.hasNext()) {
            if (deadlines.passed(cards.next().deadline(), CARD_WALL_SLACK)) {
                cards.remove();
                metrics.battleCard(BattleCardRequests.Outcome.TIMEOUT);
            }
        }
        if (session.agent().reply() != null) {
            agent.onTime(session, conversation.get(), deadlines, out);
        }
        if (session.summary != null) {
            summaryOnTime(session, conversation, deadlines, out);
        }
        if (waitsOnMustSay(session)) {
            mustSayOnTime(session, deadlines, out);
        }
        if (session.closing != null && deadlines.passed(session.closing.at())) {
            publishChecklist(session, engines.cached(session.tenantId), true,
                    DerivedIds.of("checklist-final-event", session.closing.endedEventId()), out);
            session.closing = null;
        }
    }

    /**
     * The pending summary: let go once this instance's run finished; run again here when no run is going on here
     * (its instance died, or the partition moved) once what the previous owner left queued was processed.
     */
    private void summaryOnTime(SessionState session, LazyConversation conversation, Deadlines deadlines, Outputs out) {
        var pending = session.summary;
        if (summaries.runningHere(pending.endedEventId())) {
            return;
        }
        if (summaries.finishedHere(pending.endedEventId())) {
            session.summary = null;
        } else if (deadlines.settled()) {
            var next = new SessionState.PendingSummary(pending.endedEventId(), pending.run() + 1);
            session.summary = next;
            var ended = new CallSummaries.Ended(session.tenantId, session.sessionId, next.endedEventId());
            var said = List.copyOf(conversation.get().turns());
            LOG.infof("summary of session %s: run %d here, the last one is not running on this instance",
                    session.sessionId, next.run());
            out.handOff(() -> summaries.start(ended, next.run(), said));
        }
    }

    /** Whether the state waits on a deadline (so the processor's timer looks at it). */
    public boolean waitsOnTime(SessionState session) {
        return !session.cards.isEmpty() || AgentRounds.waitsOnTime(session) || session.summary != null
                || waitsOnMustSay(session) || liveMonologueDue(session) != null || session.closing != null;
    }

    private static boolean waitsOnMustSay(SessionState session) {
        return !session.ended && session.progress.nextMustSayAt() != null;
    }

    private Instant liveMonologueDue(SessionState session) {
        return liveMonologue(session).map(LiveMonologue::due).orElse(null);
    }

    private Optional<LiveMonologue> liveMonologue(SessionState session) {
        return session.ended ? Optional.empty()
                : nudges.liveMonologue(session.nudges, session.agent().agentMode());
    }

    /**
     * The earliest event time at which {@link #onTime} could change the state (the processor's timer skips the session
     * until the wall clock reaches it); {@code Instant.MIN} when it should look at every tick.
     */
    public Instant dueAt(SessionState session) {
        var due = session.cards.values().stream().map(SessionState.PendingCard::deadline).min(Instant::compareTo)
                .orElse(Instant.MAX);
        var monologue = liveMonologueDue(session);
        if (monologue != null && monologue.isBefore(due)) {
            due = monologue;
        }
        var reply = session.agent().reply();
        if (reply != null) {
            var phase = reply.phase();
            due = phase == io.voicecoach.coaching.agent.AgentReply.Phase.AWAITING_TOOLS && reply.toolDeadline() != null
                    && reply.toolDeadline().isBefore(due) ? reply.toolDeadline()
                    : phase == io.voicecoach.coaching.agent.AgentReply.Phase.AWAITING_TOOLS ? due : Instant.MIN;
        }
        if (waitsOnMustSay(session) && session.progress.nextMustSayAt().isBefore(due)) {
            due = session.progress.nextMustSayAt();
        }
        if (session.closing != null && session.closing.at().isBefore(due)) {
            due = session.closing.at();
        }
        return session.summary != null ? Instant.MIN : due;
    }

    /** A session that ended and awaits nothing more can go. */
    public boolean finished(SessionState session) {
        return session.ended && !waitsOnTime(session);
    }

    private boolean firstTime(SessionState session, Event<?> event) {
        touch(session, event);
        return session.firstTime(event.eventId());
    }

    private static void touch(SessionState session, Event<?> event) {
        if (session.lastEventAt == null || event.occurredAt().isAfter(session.lastEventAt)) {
            session.lastEventAt = event.occurredAt();
        }
    }

    private void suggest(SessionState session, Event<?> event, Transcript transcript, Detection detection,
                         Outputs out) {
        if (detection.isObjection() && !nudges.firstInCooldown(session.nudges, detection.kind(), detection.category(),
                event.occurredAt())) {
            metrics.repeatSuppressed(detection);
            return;
        }
        if (detection.isObjection()) { // the card is asked for first, so it is not delayed by the suggestion
            var call = BattleCardRequests.call(event, detection.category(), detection.competitor(), battleCardWait);
            out.publish(DerivedIds.of("tool-call-event", event.eventId()), call);
            session.cards.put(call.callId(), new SessionState.PendingCard(Suggestions.suggestionId(event),
                    transcript.utteranceId(), event.eventId(), event.occurredAt().plus(battleCardWait)));
        }
        var cited = knowledge.cite(session.tenantId, transcript.text());
        out.publish(DerivedIds.of("suggestion-event", event.eventId()),
                Suggestions.of(event, transcript, detection, cited));
    }

    private void progress(SessionState session, Engine engine, Event<?> event, Transcript transcript, Outputs out) {
        if (mustSayTimer) {
            CallProgress.anchor(session.progress, engine, event.occurredAt().minusMillis(transcript.endMs()),
                    event.eventId());
        }
        var outcome = CallProgress.assess(session.progress, engine, transcript);
        if (outcome.stageChanged() != null) {
            out.publish(DerivedIds.of("stage-event", event.eventId()),
                    outcome.stageChanged());
        }
        if (outcome.forbidden() != null) {
            var rule = outcome.forbidden();
            out.publish(DerivedIds.of("compliance-event", event.eventId()),
                    new Suggestion(DerivedIds.of("compliance", event.eventId()).toString(), transcript.utteranceId(),
                            CallProgress.COMPLIANCE, rule.id(), "Compliance: do not say that", rule.message(), 1.0,
                            Detection.RULES, 1, null, event.occurredAt(), transcript.receivedAt()));
        }
        for (var rule : outcome.missing()) {
            String purpose = "must-say-" + rule.id();
            out.publish(DerivedIds.of(purpose + "-event", event.eventId()),
                    Suggestions.nudge(event, transcript, mustSayNudge(rule), purpose));
        }
        if (outcome.checklistChanged()) {
            publishChecklist(session, engine, false, DerivedIds.of("checklist-event", event.eventId()), out);
        }
    }

    /** The session's compliance checklist as it stands; nothing for a playbook without compliance rules. */
    private static void publishChecklist(SessionState session, Engine engine, boolean closed, UUID eventId,
                                         Outputs out) {
        var checklist = CallProgress.checklist(session.progress, engine, closed);
        if (checklist != null) {
            out.publish(eventId, checklist);
        }
    }

    /**
     * The timer's must-say check of a call that went quiet: a rule neither said nor nudged about, {@code must-say-grace}
     * past its deadline (event time: stream time, or the wall clock once the takeover grace is over), gets its nudge.
     */
    private void mustSayOnTime(SessionState session, Deadlines deadlines, Outputs out) {
        var engine = engines.cached(session.tenantId);
        var overdue = CallProgress.overdue(session.progress, engine, due -> deadlines.passed(due.plus(mustSayGrace)));
        var source = session.progress.callStartEventId();
        for (var rule : overdue) {
            String purpose = "must-say-" + rule.id() + "-due";
            out.publish(DerivedIds.of(purpose + "-event", source),
                    Suggestions.timedNudge(source, mustSayNudge(rule), purpose));
        }
        if (!overdue.isEmpty()) { // one checklist with every rule missed at this tick
            publishChecklist(session, engine, false,
                    DerivedIds.of("checklist-must-say-" + overdue.getFirst().id() + "-due-event", source), out);
        }
    }

    private static Nudge mustSayNudge(ComplianceRules.Rule rule) {
        return new Nudge(CallProgress.MUST_SAY + "." + rule.id(), 2, "Not said yet: " + rule.id().replace('_', ' '),
                rule.message());
    }
}
