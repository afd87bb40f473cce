package io.voicecoach.gateway.fanout;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.InvalidEventException;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.SuggestionCard;
import io.voicecoach.events.SuggestionDelivered;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.session.SessionPublisher;
import io.voicecoach.gateway.session.SessionRegistry;
import io.voicecoach.gateway.ws.ServerEvents;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;

/**
 * Delivers {@code coaching.suggestion} events to the rep connections here that should see them (the suggestion's
 * own session if it is a rep's, and the rep connections of the same call, see {@link CallDirectory}), then records
 * each delivery on {@code voice.sessions} (a suggestion replayed to a resuming client is recorded when replayed).
 * A {@code coaching.battle_card} goes to those of them that got its suggestion, without a receipt. Every instance
 * reads every partition; sessions held elsewhere are skipped.
 */
@ApplicationScoped
public class SuggestionFanout {

    private static final Logger LOG = Logger.getLogger(SuggestionFanout.class);

    private final SessionRegistry registry;
    private final CallDirectory calls;
    private final SessionPublisher publisher;
    private final Counter delivered;
    private final Counter foreignTenant;
    private final Counter cards;
    private final Timer deliveryLatency;

    public SuggestionFanout(SessionRegistry registry, CallDirectory calls, SessionPublisher publisher,
                            MeterRegistry meters) {
        this.registry = registry;
        this.calls = calls;
        this.publisher = publisher;
        this.delivered = Counter.builder("voicecoach.gateway.suggestions.delivered")
                .description("Suggestions written to client sessions").register(meters);
        this.foreignTenant = Counter.builder("voicecoach.gateway.suggestions.refused")
                .description("Suggestions whose tenant differs from the session's owner").register(meters);
        this.cards = Counter.builder("voicecoach.gateway.battle.cards.delivered")
                .description("Battle cards written to client sessions after their suggestion").register(meters);
        this.deliveryLatency = Timer.builder("voicecoach.gateway.suggestions.delivery")
                .description("From the suggestion's publication to its frame written to the client")
                .publishPercentileHistogram().register(meters);
    }

    @Incoming("suggestions")
    public Uni<Void> onSuggestion(Message<String> record) {
        Envelope envelope;
        Suggestion suggestion;
        try {
            envelope = EventJson.decode(record.getPayload());
            if (EventTypes.BATTLE_CARD.equals(envelope.type())) {
                return onBattleCard(record, envelope);
            }
            if (!EventTypes.SUGGESTION.equals(envelope.type())) {
                return ack(record);
            }
            suggestion = envelope.payloadAs(Suggestion.class);
            if (suggestion.suggestionId() == null) {
                throw new InvalidEventException("suggestion without suggestionId");
            }
        } catch (InvalidEventException e) {
            LOG.warnf("skipping undecodable suggestion record: %s", e.getMessage());
            return Uni.createFrom().completionStage(record.nack(e));
        }
        var own = registry.find(envelope.sessionId()).orElse(null);
        if (own != null && !deliverable(own, envelope)) {
            return ack(record);
        }
        for (var target : calls.recipients(envelope.tenantId(), envelope.sessionId(), false)) {
            if (target.firstTime(suggestion.suggestionId())) {
                // queued on the connection (or kept for a resuming client), not awaited: a slow client never holds
                // up the consumer
                deliver(target, own, envelope, suggestion);
            }
        }
        return ack(record);
    }

    private Uni<Void> onBattleCard(Message<String> record, Envelope envelope) {
        var followUp = envelope.payloadAs(SuggestionCard.class);
        if (followUp.suggestionId() == null || followUp.card() == null) {
            throw new InvalidEventException("battle card without suggestionId or card");
        }
        var own = registry.find(envelope.sessionId()).orElse(null);
        if (own != null && !deliverable(own, envelope)) {
            return ack(record);
        }
        for (var target : calls.recipients(envelope.tenantId(), envelope.sessionId(), false)) {
            if (target.hasSeen(followUp.suggestionId()) && target.firstTime(envelope.eventId().toString())) {
                String frame = ServerEvents.battleCard(followUp);
                target.sendReplayable(ServerEvents.eventIdOf(frame), frame, cards::increment);
            }
        }
        return ack(record);
    }

    private boolean deliverable(RealtimeSession session, Envelope envelope) {
        if (session.tenantId().equals(envelope.tenantId())) {
            return true;
        }
        foreignTenant.increment();
        LOG.warnf("refusing suggestion %s of tenant %s for session %s of tenant %s", envelope.eventId(),
                envelope.tenantId(), session.id(), session.tenantId());
        return false;
    }

    /**
     * Writes the suggestion to {@code target}; the receipt goes on the suggestion's own session ({@code own} when held
     * here, else addressed by id through the target).
     */
    private void deliver(RealtimeSession target, RealtimeSession own, Envelope envelope, Suggestion suggestion) {
        String frame = ServerEvents.suggestion(suggestion, envelope.occurredAt());
        target.sendReplayable(ServerEvents.eventIdOf(frame), frame, () -> {
            var deliveredAt = Instant.now();
            delivered.increment();
            deliveryLatency.record(Duration.between(envelope.occurredAt(), deliveredAt));
            var receipt = new SuggestionDelivered(suggestion.suggestionId(), suggestion.utteranceId(),
                    envelope.occurredAt(), deliveredAt);
            (own != null ? publisher.delivered(own, receipt)
                    : publisher.deliveredFor(envelope.sessionId(), target, receipt))
                    .subscribe().with(ok -> { }, failure -> LOG.warnf(
                            "suggestion.delivered of %s not published: %s", suggestion.suggestionId(),
                            failure.getMessage()));
        });
    }

    private static Uni<Void> ack(Message<String> record) {
        return Uni.createFrom().completionStage(record::ack);
    }
}
