package io.voicecoach.coaching.call;

import io.voicecoach.coaching.DerivedIds;
import io.voicecoach.coaching.session.StateJson;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;

/**
 * The stream task of one partition of {@code coach.call.talk} (key = tenant and call): keeps each call's legs in the
 * {@value #STORE} store (changelog backed) and hands the speech one leg heard to each other leg of the call, as a
 * {@link FarSpeech} on {@code coach.leg.talk} keyed by that leg's session id, so it reaches the task that holds that
 * session, wherever the two legs' partitions are. All in the topology's exactly-once transaction. A record that cannot
 * be used goes to {@code coach.call.talk.dlq}; calls without a record for the inactivity TTL are removed.
 */
public final class CallProcessor implements Processor<String, TalkJson.Received<CallTalk>, String, Object> {

    public static final String STORE = "coaching-calls";
    private static final Logger LOG = Logger.getLogger(CallProcessor.class);

    private final int maxLegs;
    private final Duration inactivityTtl;
    private final Clock clock;
    private final String speechSink;
    private final String deadLetterSink;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, byte[]> calls;

    public CallProcessor(int maxLegs, Duration inactivityTtl, Clock clock, String speechSink, String deadLetterSink) {
        this.maxLegs = maxLegs;
        this.inactivityTtl = inactivityTtl;
        this.clock = clock;
        this.speechSink = speechSink;
        this.deadLetterSink = deadLetterSink;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.calls = context.getStateStore(STORE);
        context.schedule(inactivityTtl.dividedBy(10).plusSeconds(1), PunctuationType.WALL_CLOCK_TIME, now -> sweep());
    }

    @Override
    public void process(Record<String, TalkJson.Received<CallTalk>> record) {
        var received = record.value();
        String problem = received.problem() != null ? received.problem() : received.value().problem(record.key());
        if (problem != null) {
            deadLetter(record, problem);
            return;
        }
        try {
            process(record.key(), received.value(), record.timestamp());
        } catch (KafkaException e) {
            throw e; // the task's transaction failed or moved: Kafka Streams aborts and redoes it
        } catch (RuntimeException e) {
            LOG.errorf(e, "call record %s of call %s failed", received.value().eventId(), received.value().callId());
            deadLetter(record, "processing failed: " + e);
        }
    }

    private void process(String key, CallTalk talk, long timestamp) {
        byte[] stored = calls.get(key);
        var call = stored == null ? new CallLegs() : StateJson.read(stored, CallLegs.class);
        switch (talk.kind()) {
            case CallTalk.JOINED -> {
                if (!call.join(talk.sessionId(), talk.at(), maxLegs)) {
                    LOG.warnf("session %s not joined to call %s of tenant %s: it left, or the call has %d legs",
                            talk.sessionId(), talk.callId(), talk.tenantId(), maxLegs);
                }
            }
            case CallTalk.LEFT -> call.leave(talk.sessionId());
            default -> {
                if (call.join(talk.sessionId(), talk.at(), maxLegs)) {
                    hand(talk, call, timestamp);
                }
            }
        }
        call.seen(talk.at());
        if (call.empty()) { // a late record of a leg that left finds no one to hand anything to
            calls.delete(key);
        } else {
            calls.put(key, StateJson.write(call));
        }
    }

    /** With the speech's own timestamp (its transcript's), so it goes before the rep's next utterance. */
    private void hand(CallTalk talk, CallLegs call, long timestamp) {
        for (String leg : call.othersThan(talk.sessionId())) {
            var far = new FarSpeech(DerivedIds.of("far-speech:" + leg, talk.eventId()), talk.tenantId(), leg,
                    talk.callId(), talk.sessionId(), talk.at(), talk.speech());
            context.forward(new Record<>(leg, (Object) far, timestamp), speechSink);
        }
    }

    /** Removes calls without a record for the inactivity TTL (by event time, against the wall clock). */
    private void sweep() {
        var oldest = clock.instant().minus(inactivityTtl);
        var idle = new ArrayList<String>();
        try (var all = calls.all()) {
            all.forEachRemaining(entry -> {
                var call = StateJson.read(entry.value, CallLegs.class);
                if (call.lastAt == null || call.lastAt.isBefore(oldest)) {
                    idle.add(entry.key);
                }
            });
        }
        idle.forEach(calls::delete);
        if (!idle.isEmpty()) {
            LOG.infof("removed %d calls without records since %s", idle.size(), oldest);
        }
    }

    private void deadLetter(Record<String, TalkJson.Received<CallTalk>> record, String reason) {
        LOG.warnf("rejecting a coach.call.talk record: %s", reason);
        var headers = new RecordHeaders(record.headers().toArray());
        headers.add("dead-letter-reason", reason.getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<>(record.key(), (Object) record.value().bytes(), record.timestamp(), headers),
                deadLetterSink);
    }
}
