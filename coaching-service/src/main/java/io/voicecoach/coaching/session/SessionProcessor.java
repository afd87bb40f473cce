package io.voicecoach.coaching.session;

import io.opentelemetry.api.trace.Span;
import io.voicecoach.coaching.CoachingConfig;
import io.voicecoach.coaching.SessionSequences;
import io.voicecoach.coaching.call.CallKeys;
import io.voicecoach.coaching.call.FarSpeech;
import io.voicecoach.coaching.call.TalkJson;
import io.voicecoach.coaching.suggest.CoachingMetrics;
import io.voicecoach.events.AgentFunctionCall;
import io.voicecoach.events.AgentResponseDone;
import io.voicecoach.events.AgentTextDone;
import io.voicecoach.events.Event;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.InvalidEventException;
import io.voicecoach.events.SessionErased;
import io.voicecoach.events.SessionEvent;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.ToolResult;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import io.voicecoach.events.UnknownEventTypeException;
import io.voicecoach.events.kafka.Decoded;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;

/**
 * The stream task of one partition of the co-partitioned inputs ({@code voice.transcripts}, {@code voice.sessions},
 * {@code tool.results}, {@code agent.replies}): takes each record typed (the source's {@code EventSerde.decoded()}),
 * dispatches on its payload, loads its session's state from the stores,
 * lets {@link SessionLogic} decide, forwards the outputs to the sinks and saves the state, all in the task's
 * exactly-once transaction. A record that cannot be decoded goes to {@code <topic>.dlq} with the reason in the
 * {@code dead-letter-reason} header. A wall-clock punctuator looks at the sessions waiting on a deadline; another
 * removes ended and inactive sessions. Each record is processed in a span continuing the trace in its headers, which the
 * records it causes carry on ({@link RecordTraces}). Also takes {@code coach.leg.talk}: the customer speech another leg of a
 * session's call heard ({@link FarSpeech}, from the call's task), and tells that task of its sessions' calls
 * ({@code coach.call.talk}).
 */
final class SessionProcessor implements Processor<String, Object, String, Object> {

    static final String SESSIONS_STORE = "coaching-sessions";
    static final String CONVERSATIONS_STORE = "coaching-conversations";

    private static final Logger LOG = Logger.getLogger(SessionProcessor.class);
    private static final String REASON = "dead-letter-reason";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final SessionLogic logic;
    private final CoachingMetrics metrics;
    private final SessionSequences sequences;
    private final CoachingConfig.State config;
    private final Clock clock;
    private final RecordTraces traces;
    private final TenantShares shares;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, byte[]> sessions;
    private KeyValueStore<String, byte[]> conversations;
    private Instant takenOverAt;
    /** Timestamp of the record being processed: what it tells the call's task keeps it (see {@link #commit}). */
    private long inputTimestamp;
    /**
     * This task's sessions that wait on a deadline, with the time from which the timer looks at them; rebuilt from the
     * store when the task starts here.
     */
    private final Map<String, Instant> timed = new HashMap<>();

    SessionProcessor(SessionLogic logic, CoachingMetrics metrics, SessionSequences sequences, CoachingConfig.State config,
                     Clock clock, RecordTraces traces, TenantShares shares) {
        this.traces = traces;
        this.shares = shares;
        this.logic = logic;
        this.metrics = metrics;
        this.sequences = sequences;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.sessions = context.getStateStore(SESSIONS_STORE);
        this.conversations = context.getStateStore(CONVERSATIONS_STORE);
        this.takenOverAt = clock.instant();
        try (var all = sessions.all()) {
            all.forEachRemaining(entry -> {
                var state = StateJson.read(entry.value, SessionState.class);
                if (logic.waitsOnTime(state)) {
                    timed.put(entry.key, logic.dueAt(state));
                }
            });
        }
        context.schedule(config.tick(), PunctuationType.WALL_CLOCK_TIME, now -> onTick());
        context.schedule(config.inactivityTtl().dividedBy(10).plusSeconds(1), PunctuationType.WALL_CLOCK_TIME,
                now -> sweep());
    }

    @Override
    public void process(Record<String, Object> input) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        inputTimestamp = input.timestamp();
        if (input.value() instanceof TalkJson.Received<?> received) {
            onLegTalk(topic, input, received);
            return;
        }
        var record = input.withValue((Decoded) input.value());
        var span = traces.processing(record.headers(), topic, context.recordMetadata());
        try (var scope = span.makeCurrent()) {
            process(topic, record, span);
        } catch (RuntimeException e) {
            span.recordException(e);
            RecordTraces.failed(span, "processing failed");
            throw e;
        } finally {
            span.end();
        }
    }

    private void process(String topic, Record<String, Decoded> record, Span span) {
        Event<?> event;
        switch (record.value()) {
            case Decoded.Invalid invalid when invalid.reason() instanceof UnknownEventTypeException unknown -> {
                LOG.debugf("%s record of unknown type %s skipped", topic, unknown.type());
                return;
            }
            case Decoded.Invalid invalid -> {
                deadLetter(topic, record, invalid.reason().getMessage());
                return;
            }
            case Decoded.Valid valid -> event = valid.event();
        }
        span.setAttribute("voicecoach.event.type", event.type());
        span.setAttribute("voicecoach.session.id", event.sessionId());
        span.setAttribute("voicecoach.tenant.id", event.tenantId());
        if (!event.topic().equals(topic)) {
            deadLetter(topic, record, event.type() + " does not belong on " + topic);
            return;
        }
        long cpuBefore = THREADS.getCurrentThreadCpuTime();
        try {
            process(topic, record, event);
        } finally {
            shares.spent(event.tenantId(), THREADS.getCurrentThreadCpuTime() - cpuBefore);
        }
    }

    private void process(String topic, Record<String, Decoded> record, Event<?> event) {
        try {
            switch (event.payload()) {
                case Transcript transcript when EventTypes.TRANSCRIPT_FINAL.equals(event.type()) -> {
                    var said = valid(transcript);
                    boolean classify = shares.hasShare(event.tenantId());
                    if (!classify) {
                        metrics.overShare();
                    }
                    withState(event, true, (state, conversation, out) ->
                            logic.onFinalTranscript(state, conversation, event, said, classify, out));
                }
                case Transcript partial when EventTypes.TRANSCRIPT_PARTIAL.equals(event.type())
                        && partial.text() != null && Track.isValid(partial.track()) ->
                        withState(event, true, (state, conversation, out) ->
                                logic.onPartialTranscript(state, event, partial, out));
                case SessionErased erased -> erase(event, erased);
                case SessionEvent session -> withState(event, true, (state, conversation, out) ->
                        logic.onSessionEvent(state, conversation, event, out));
                case ToolResult result -> onToolResult(event, result);
                case AgentTextDone done -> onReplyEvent(record, event);
                case AgentFunctionCall call -> onReplyEvent(record, event);
                case AgentResponseDone done -> onReplyEvent(record, event);
                default -> {
                    // failures of transcripts, text deltas and response.created change nothing here
                }
            }
        } catch (InvalidEventException e) {
            deadLetter(topic, record, e.getMessage());
        } catch (KafkaException e) {
            throw e; // the task's transaction failed or moved: Kafka Streams aborts and redoes it
        } catch (RuntimeException e) {
            LOG.errorf(e, "coaching failed for %s event %s of session %s", event.type(), event.eventId(), event.sessionId());
            deadLetter(topic, record, "processing failed: " + e);
        }
    }

    private void onLegTalk(String topic, Record<String, Object> record, TalkJson.Received<?> received) {
        String problem = received.problem() != null ? received.problem()
                : received.value() instanceof FarSpeech far ? far.problem(record.key()) : "not a FarSpeech";
        if (problem != null) {
            deadLetter(topic, record, received.bytes(), problem);
            return;
        }
        var far = (FarSpeech) received.value();
        try {
            withState(far.sessionId(), far.tenantId(), false, (state, conversation, out) -> logic.onFarSpeech(state, far));
        } catch (KafkaException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.errorf(e, "far-end speech %s of session %s failed", far.eventId(), far.sessionId());
            deadLetter(topic, record, received.bytes(), "processing failed: " + e);
        }
    }

    private void onToolResult(Event<?> event, ToolResult result) {
        if (result.callId() == null || result.callId().isBlank()) {
            throw new InvalidEventException("tool.result without callId");
        }
        String key = SessionKeys.of(event.sessionId(), event.tenantId());
        if (sessions.get(key) == null) {
            metrics.toolResult(waitedForByAnotherTenant(event, result) ? "foreign_tenant" : "unknown_call");
            return;
        }
        withState(event, false, (state, conversation, out) -> {
            var use = logic.onToolResult(state, conversation, event, result, out);
            metrics.toolResult(switch (use) {
                case CARD, AGENT -> "completed";
                case LATE -> "late";
                case UNKNOWN -> waitedForByAnotherTenant(event, result) ? "foreign_tenant" : "unknown_call";
            });
        });
    }

    private void onReplyEvent(Record<String, Decoded> record, Event<?> event) {
        var headers = new HashMap<String, String>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        withState(event, false, (state, conversation, out) ->
                logic.onReplyEvent(state, conversation, event, headers, out));
    }

    /** A forged result (another tenant naming a call this session's owner waits for) is told apart from a late one. */
    private boolean waitedForByAnotherTenant(Event<?> event, ToolResult result) {
        try (var others = sessions.prefixScan(SessionKeys.prefix(event.sessionId()),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            while (others.hasNext()) {
                var other = StateJson.read(others.next().value, SessionState.class);
                if (!other.tenantId.equals(event.tenantId()) && (other.cards.containsKey(result.callId())
                        || (other.agent().reply() != null && other.agent().reply().waitsFor(result.callId())))) {
                    LOG.warnf("dropping tool.result %s: tenant %s is not the caller's", result.callId(), event.tenantId());
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Erasure: the session's state (or every session's of the tenant this task holds) goes from both stores, so from
     * their changelogs and standbys too (tombstones; compaction drops the old values). An erased session keeps a
     * marker without content until the inactivity TTL, so its late events do not bring it back. Only the event's
     * own tenant is erased: the store key holds the tenant.
     */
    private void erase(Event<?> event, SessionErased erased) {
        if (SessionErased.TENANT.equals(erased.scope())) {
            var keys = new java.util.ArrayList<String>();
            try (var all = sessions.all()) {
                all.forEachRemaining(entry -> {
                    if (SessionKeys.tenantOf(entry.key).equals(event.tenantId())) {
                        keys.add(entry.key);
                    }
                });
            }
            try (var all = conversations.all()) {
                all.forEachRemaining(entry -> {
                    if (SessionKeys.tenantOf(entry.key).equals(event.tenantId()) && !keys.contains(entry.key)) {
                        keys.add(entry.key);
                    }
                });
            }
            keys.forEach(this::forget);
            metrics.erased(keys.size());
            LOG.infof("erased the state of %d sessions of tenant %s (requested by %s)", keys.size(), event.tenantId(),
                    erased.requestedBy());
            return;
        }
        String key = SessionKeys.of(event.sessionId(), event.tenantId());
        forget(key);
        var marker = logic.newState(event.tenantId(), event.sessionId());
        marker.erased = true;
        marker.lastEventAt = event.occurredAt();
        sessions.put(key, StateJson.write(marker));
        metrics.erased(1);
        LOG.infof("erased the state of session %s of tenant %s (requested by %s)", event.sessionId(), event.tenantId(),
                erased.requestedBy());
    }

    private void forget(String key) {
        sessions.delete(key);
        conversations.delete(key);
        timed.remove(key);
    }

    private interface Step {
        void run(SessionState state, LazyConversation conversation, Outputs out);
    }

    private void withState(Event<?> event, boolean create, Step step) {
        withState(event.sessionId(), event.tenantId(), create, step);
    }

    private void withState(String sessionId, String tenantId, boolean create, Step step) {
        String key = SessionKeys.of(sessionId, tenantId);
        byte[] stored = sessions.get(key);
        if (stored == null && !create) {
            return;
        }
        var state = stored == null ? logic.newState(tenantId, sessionId)
                : StateJson.read(stored, SessionState.class);
        if (state.erased) {
            metrics.afterErasure();
            return; // a late event of an erased session is not coached and does not bring its state back
        }
        var conversation = conversation(key);
        var out = new Outputs();
        step.run(state, conversation, out);
        commit(key, state, conversation, out);
    }

    private LazyConversation conversation(String key) {
        return new LazyConversation(() -> {
            byte[] stored = conversations.get(key);
            return stored == null ? new ConversationState() : StateJson.read(stored, ConversationState.class);
        });
    }

    /** Forwards the outputs (each with the session's next {@code seq}), saves or drops the state, hands work off. */
    private void commit(String key, SessionState state, LazyConversation conversation, Outputs out) {
        long now = clock.millis();
        for (var output : out.records()) {
            var event = Event.of(output.eventId(), state.tenantId, state.sessionId, ++state.seq,
                    Instant.ofEpochMilli(now), SessionTopology.PRODUCER, output.payload());
            var headers = new RecordHeaders();
            output.headers().forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
            traces.inject(headers);
            context.forward(new Record<>(state.sessionId, (Object) event, now, headers),
                    SessionTopology.sink(output.topic()));
            if (output.payload() instanceof Suggestion suggestion) {
                metrics.suggested(suggestion, event.occurredAt());
            }
        }
        // with the transcript's timestamp: another leg's task that has both takes the customer's speech before the
        // rep's next utterance (records of a task's partitions are processed in timestamp order)
        for (var talk : out.calls()) {
            context.forward(new Record<>(CallKeys.of(talk.tenantId(), talk.callId()), (Object) talk, inputTimestamp),
                    SessionTopology.sink(Topics.CALL_TALK));
        }
        if (logic.finished(state)) {
            sessions.delete(key);
            conversations.delete(key);
            timed.remove(key);
        } else {
            sessions.put(key, StateJson.write(state));
            if (conversation.touched() != null) {
                conversations.put(key, StateJson.write(conversation.touched()));
            }
            if (logic.waitsOnTime(state)) {
                timed.put(key, logic.dueAt(state));
            } else {
                timed.remove(key);
            }
        }
        if (!out.handOffs().isEmpty()) {
            sequences.advanceTo(state.tenantId, state.sessionId, state.seq);
            out.handOffs().forEach(Runnable::run);
        }
    }

    private void onTick() {
        if (timed.isEmpty()) {
            return;
        }
        var now = clock.instant();
        var deadlines = new Deadlines(context.currentStreamTimeMs(), now, takenOverAt, config.takeoverGrace());
        var due = timed.entrySet().stream().filter(e -> !e.getValue().isAfter(now)).map(Map.Entry::getKey).toList();
        for (String key : due) {
            byte[] stored = sessions.get(key);
            if (stored == null) {
                timed.remove(key);
                continue;
            }
            var state = StateJson.read(stored, SessionState.class);
            var conversation = conversation(key);
            var out = new Outputs();
            try {
                logic.onTime(state, conversation, deadlines, out);
                if (!out.records().isEmpty() || !out.handOffs().isEmpty()
                        || !java.util.Arrays.equals(StateJson.write(state), stored)) { // no changelog write for nothing
                    commit(key, state, conversation, out);
                } else if (timed.containsKey(key)) {
                    // not yet (stream time, takeover grace): look again a little later, not at every tick
                    timed.put(key, now.plus(config.takeoverGrace().dividedBy(4)));
                }
            } catch (KafkaException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.errorf(e, "deadline check of session %s failed", state.sessionId);
            }
        }
    }

    /** Removes sessions idle for longer than the inactivity TTL (by their latest event time). */
    private void sweep() {
        Instant oldest = clock.instant().minus(config.inactivityTtl());
        var idle = new HashSet<String>();
        try (var all = sessions.all()) {
            all.forEachRemaining(entry -> {
                var state = StateJson.read(entry.value, SessionState.class);
                if (state.lastEventAt == null || state.lastEventAt.isBefore(oldest)) {
                    idle.add(entry.key);
                }
            });
        }
        for (String key : idle) {
            sessions.delete(key);
            conversations.delete(key);
            timed.remove(key);
        }
        if (!idle.isEmpty()) {
            LOG.infof("removed %d sessions without events since %s", idle.size(), oldest);
        }
    }

    private void deadLetter(String topic, Record<String, Decoded> record, String reason) {
        deadLetter(topic, record, record.value().value(), reason);
    }

    private void deadLetter(String topic, Record<String, ?> record, byte[] value, String reason) {
        LOG.warnf("rejecting %s record: %s", topic, reason);
        RecordTraces.failed(Span.current(), "dead-lettered: " + reason);
        var headers = new RecordHeaders(record.headers().toArray());
        headers.add(REASON, String.valueOf(reason).getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<>(record.key(), (Object) value, record.timestamp(), headers),
                SessionTopology.sink(Topics.deadLetter(topic)));
    }

    private static Transcript valid(Transcript transcript) {
        if (transcript.text() == null) {
            throw new InvalidEventException("transcript.final without text");
        }
        if (!transcript.isFinal()) {
            throw new InvalidEventException("transcript.final with isFinal=false");
        }
        if (!Track.isValid(transcript.track())) {
            throw new InvalidEventException("transcript.final with unknown track " + transcript.track());
        }
        return transcript;
    }
}
