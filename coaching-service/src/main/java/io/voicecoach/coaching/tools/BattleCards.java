package io.voicecoach.coaching.tools;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.voicecoach.coaching.CoachingConfig;
import io.voicecoach.coaching.DerivedIds;
import io.voicecoach.coaching.SessionSequences;
import io.voicecoach.events.BattleCard;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.ToolCall;
import io.voicecoach.events.ToolResult;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Optional;

/**
 * Asks tool-service for the battle card of an objection over {@code tool.calls} and waits, without blocking a
 * thread, for the matching {@code tool.result} up to {@code voicecoach.coaching.battle-card-wait}.
 */
@ApplicationScoped
public class BattleCards {

    public static final String TOOL = "get_battle_card";

    private static final Logger LOG = Logger.getLogger(BattleCards.class);

    /** How a battle card request ended, for the metrics. */
    public enum Outcome { CARD, ERROR, TIMEOUT }

    /** The card (empty when none arrived in time or the tool failed) and how the request ended. */
    public record Answer(Optional<BattleCard> card, Outcome outcome) {
    }

    private final MutinyEmitter<String> toolCalls;
    private final PendingCalls pending;
    private final SessionSequences sequences;
    private final CoachingConfig config;
    private final String producer;

    public BattleCards(@Channel("tool-calls") MutinyEmitter<String> toolCalls, PendingCalls pending,
                       SessionSequences sequences, CoachingConfig config,
                       @ConfigProperty(name = "quarkus.application.name") String producer) {
        this.toolCalls = toolCalls;
        this.pending = pending;
        this.sequences = sequences;
        this.config = config;
        this.producer = producer;
    }

    /**
     * @param trigger    the transcript event that raised the objection; the call id derives from its event id
     * @param competitor normalised competitor name the utterance mentions, or null
     */
    public Uni<Answer> fetch(Envelope trigger, String category, String competitor) {
        String callId = DerivedIds.of("tool-call", trigger.eventId()).toString();
        var arguments = EventJson.MAPPER.createObjectNode().put("category", category);
        if (competitor != null) {
            arguments.put("competitor", competitor);
        }
        var call = new ToolCall(callId, TOOL, arguments, producer, config.battleCardWait().toMillis());
        var envelope = new Envelope(DerivedIds.of("tool-call-event", trigger.eventId()), EventTypes.TOOL_CALL,
                Envelope.SCHEMA_VERSION, trigger.tenantId(), trigger.sessionId(), sequences.next(trigger.tenantId(), trigger.sessionId()),
                Instant.now(), producer, EventJson.tree(call));

        var result = pending.open(callId, trigger.tenantId());
        toolCalls.sendMessage(KafkaRecord.of(trigger.sessionId(), EventJson.encode(envelope)))
                .subscribe().with(sent -> { }, failure -> pending.fail(callId, failure));

        return Uni.createFrom().completionStage(result)
                .ifNoItem().after(config.battleCardWait()).fail()
                .map(BattleCards::answer)
                .onFailure().recoverWithItem(failure -> {
                    boolean timedOut = failure instanceof io.smallrye.mutiny.TimeoutException;
                    if (!timedOut) {
                        LOG.warnf("battle card call %s failed: %s", callId, failure.toString());
                    }
                    return new Answer(Optional.empty(), timedOut ? Outcome.TIMEOUT : Outcome.ERROR);
                })
                .eventually(() -> pending.close(callId));
    }

    private static Answer answer(ToolResult result) {
        if (!result.ok()) {
            LOG.debugf("battle card call %s answered %s", result.callId(), result.error());
            return new Answer(Optional.empty(), Outcome.ERROR);
        }
        try {
            return new Answer(Optional.of(EventJson.MAPPER.treeToValue(result.result(), BattleCard.class)), Outcome.CARD);
        } catch (Exception e) {
            LOG.warnf("battle card call %s returned something that is not a card: %s", result.callId(), e.getMessage());
            return new Answer(Optional.empty(), Outcome.ERROR);
        }
    }
}
