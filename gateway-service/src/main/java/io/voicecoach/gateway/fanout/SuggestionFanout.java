package io.voicecoach.gateway.fanout;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.voicecoach.events.CallSummary;
import io.voicecoach.events.CoachingEvent;
import io.voicecoach.events.ComplianceChecklist;
import io.voicecoach.events.Event;
import io.voicecoach.events.InvalidEventException;
import io.voicecoach.events.LlmUsage;
import io.voicecoach.events.StageChanged;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.SuggestionCard;
import io.voicecoach.events.SuggestionDelivered;
import io.voicecoach.gateway.failover.FanoutAssignments;
import io.voicecoach.gateway.realtime.RealtimeJson;
import io.voicecoach.gateway.realtime.ServerEvent;
import io.voicecoach.gateway.session.Delivery;
import io.voicecoach.gateway.session.FeedTopic;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.session.SessionPublisher;
import io.voicecoach.gateway.session.SessionRegistry;
import io.voicecoach.gateway.tracing.RealtimeTraces;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Delivers {@code coaching.suggestion} events to the rep connections here that should see them (the suggestion's
 * own session if it is a rep's, and the rep connections of the same call, see {@link CallDirectory}), then records
 * each delivery on {@code voice.sessions} (a suggestion replayed to a resuming client is recorded when replayed, with
 * the same event id). A {@code coaching.battle_card} goes to those of them that got its suggestion, without a receipt;
 * a {@code coaching.stage_changed} and a {@code coaching.compliance_checklist} to all of them, without a receipt.
 * Every instance reads every partition; sessions held elsewhere are skipped.
 */
@ApplicationScoped
public class SuggestionFanout implements FeedRoute {

    private static final Logger LOG = Logger.getLogger(SuggestionFanout.class);

    private final SessionRegistry registry;
    private final RealtimeTraces traces;
    private final CallDirectory calls;
    private final SessionPublisher publisher;
    private final Counter delivered;
    private final Counter foreignTenant;
    private final Counter cards;
    private final Counter stages;
    private final Counter checklists;
    private final Timer deliveryLatency;
    private final FanoutAssignments progress;

    public SuggestionFanout(SessionRegistry registry, CallDirectory calls, SessionPublisher publisher,
                            MeterRegistry meters, RealtimeTraces traces, FanoutAssignments progress) {
        this.traces = traces;
        this.registry = registry;
        this.progress = progress;
        this.calls = calls;
        this.publisher = publisher;
        this.delivered = Counter.builder("voicecoach.gateway.suggestions.delivered")
                .description("Suggestions written to client sessions").register(meters);
        this.foreignTenant = Counter.builder("voicecoach.gateway.suggestions.refused")
                .description("Suggestions whose tenant differs from the session's owner").register(meters);
        this.cards = Counter.builder("voicecoach.gateway.battle.cards.delivered")
                .description("Battle cards written to client sessions after their suggestion").register(meters);
        this.stages = Counter.builder("voicecoach.gateway.stage.changes.delivered")
                .description("Stage changes written to client sessions").register(meters);
        this.checklists = Counter.builder("voicecoach.gateway.compliance.checklists.delivered")
                .description("Compliance checklists written to client sessions").register(meters);
        this.deliveryLatency = Timer.builder("voicecoach.gateway.suggestions.delivery")
                .description("From the suggestion's publication to its frame written to the client")
                .publishPercentileHistogram().register(meters);
    }

    @Incoming("suggestions")
    public Uni<Void> onSuggestion(Message<byte[]> record) {
        return FeedRoute.fanOut(this, record, progress, traces, LOG);
    }

    @Override
    public FeedTopic feed() {
        return FeedTopic.SUGGESTIONS;
    }

    @Override
    public List<Routed> route(Event<?> event) {
        if (!(event.payload() instanceof CoachingEvent coaching)) {
            return List.of();
        }
        return switch (coaching) {
            case Suggestion suggestion -> routeSuggestion(event, suggestion);
            case SuggestionCard followUp -> routeBattleCard(event, followUp);
            case StageChanged change -> {
                if (change.stage() == null || change.stage().isBlank()) {
                    throw new InvalidEventException("stage change without stage");
                }
                String frame = RealtimeJson.frame(ServerEvent.StageChangedFrame.of(change));
                yield routeToCall(event, session -> List.of(frame), stages);
            }
            case ComplianceChecklist checklist -> {
                String frame = RealtimeJson.frame(ServerEvent.ChecklistFrame.of(checklist));
                yield routeToCall(event, session -> CoachingResponses.frames(session, frame, event.eventId(),
                        checklist), checklists);
            }
            case LlmUsage usage -> List.of();
            case CallSummary summary -> List.of();
        };
    }

    private List<Routed> routeSuggestion(Event<?> event, Suggestion suggestion) {
        if (suggestion.suggestionId() == null) {
            throw new InvalidEventException("suggestion without suggestionId");
        }
        var own = registry.find(event.sessionId()).orElse(null);
        var targets = targets(own, event);
        if (targets.isEmpty()) {
            return List.of();
        }
        String frame = RealtimeJson.frame(ServerEvent.CoachingSuggestion.of(suggestion, event.occurredAt()));
        var routed = new ArrayList<Routed>(targets.size());
        for (var target : targets) {
            // queued on the connection (or held for a resuming client), never awaited: a slow client never holds up
            // the consumer
            routed.add(new Routed(target, new Delivery(suggestion.suggestionId(),
                    session -> CoachingResponses.frames(session, frame, suggestion),
                    () -> receipt(target, own, event, suggestion))));
        }
        return routed;
    }

    /** A battle card goes to the sessions that got its suggestion, without a receipt. */
    private List<Routed> routeBattleCard(Event<?> event, SuggestionCard followUp) {
        if (followUp.suggestionId() == null || followUp.card() == null) {
            throw new InvalidEventException("battle card without suggestionId or card");
        }
        var targets = targets(registry.find(event.sessionId()).orElse(null), event);
        if (targets.isEmpty()) {
            return List.of();
        }
        String frame = RealtimeJson.frame(new ServerEvent.CoachingBattleCard(followUp.suggestionId(),
                followUp.utteranceId(), ServerEvent.Card.of(followUp.card())));
        var delivery = Delivery.single(event.eventId().toString(),
                session -> session.client().hasSeen(followUp.suggestionId()) ? frame : null, cards::increment);
        return targets.stream().map(target -> new Routed(target, delivery)).toList();
    }

    /** A stage change or a checklist goes to the call's rep connections, once per event, without a receipt. */
    private List<Routed> routeToCall(Event<?> event, Function<RealtimeSession, List<String>> frames,
                                     Counter written) {
        var targets = targets(registry.find(event.sessionId()).orElse(null), event);
        if (targets.isEmpty()) {
            return List.of();
        }
        var delivery = new Delivery(event.eventId().toString(), frames, written::increment);
        return targets.stream().map(target -> new Routed(target, delivery)).toList();
    }

    /** The rep connections here the record is for; none (counted, logged) when it claims another tenant's session. */
    private List<RealtimeSession> targets(RealtimeSession own, Event<?> event) {
        if (own != null && !own.tenantId().equals(event.tenantId())) {
            foreignTenant.increment();
            LOG.warnf("refusing suggestion %s of tenant %s for session %s of tenant %s", event.eventId(),
                    event.tenantId(), own.id(), own.tenantId());
            return List.of();
        }
        return calls.recipients(event.tenantId(), event.sessionId(), false);
    }

    /**
     * The suggestion reached {@code target}'s client: the receipt goes on the suggestion's own session ({@code own}
     * when held here, else addressed by id through the target).
     */
    private void receipt(RealtimeSession target, RealtimeSession own, Event<?> event, Suggestion suggestion) {
        var deliveredAt = Instant.now();
        delivered.increment();
        deliveryLatency.record(Duration.between(event.occurredAt(), deliveredAt));
        var receipt = new SuggestionDelivered(suggestion.suggestionId(), suggestion.utteranceId(),
                event.occurredAt(), deliveredAt);
        (own != null ? publisher.delivered(own, receipt)
                : publisher.deliveredFor(event.sessionId(), target, receipt))
                .subscribe().with(ok -> { }, failure -> LOG.warnf(
                        "suggestion.delivered of %s not published: %s", suggestion.suggestionId(),
                        failure.getMessage()));
    }
}
