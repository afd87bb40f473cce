package io.voicecoach.coaching.session;

import io.opentelemetry.api.OpenTelemetry;
import io.voicecoach.coaching.CoachingConfig;
import io.voicecoach.coaching.SessionSequences;
import io.voicecoach.coaching.call.CallProcessor;
import io.voicecoach.coaching.call.CallTalk;
import io.voicecoach.coaching.call.FarSpeech;
import io.voicecoach.coaching.call.TalkJson;
import io.voicecoach.coaching.suggest.CoachingMetrics;
import io.voicecoach.events.Topics;
import io.voicecoach.events.kafka.EventSerde;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * coaching-service's Kafka Streams topology: one source over the co-partitioned inputs, keyed by session id
 * ({@code voice.transcripts}, {@code voice.sessions}, {@code tool.results}, and {@code agent.replies}, the agent
 * worker's own output, from which the agent's history is built), one {@link SessionProcessor} with two
 * changelog-backed in-memory stores ({@value SessionProcessor#SESSIONS_STORE}: the per-session state,
 * {@value SessionProcessor#CONVERSATIONS_STORE}: LLM turns and the agent's chat history), and a sink per output topic
 * and dead-letter topic. Records are read and written typed ({@link EventSerde}: {@code Decoded} from the source, so
 * an undecodable value reaches the processor and its dead-letter topic instead of stopping the task; {@code Event}s
 * to the output sinks); dead letters go out as the bytes received. Run exactly-once (see application.properties): state, outputs and input offsets commit
 * together.
 * <p>
 * The legs of a call in separate sessions (possibly on other partitions and instances) are joined the same way: the
 * session processor tells {@code coach.call.talk} (key = tenant and call id) of each session of a call and of the
 * customer speech it hears; a {@link CallProcessor} over that topic keeps each call's legs in the changelog-backed
 * {@value CallProcessor#STORE} store and hands each leg's speech to the call's other legs on {@code coach.leg.talk}
 * (key = session id, co-partitioned with the inputs), which the session processor reads with them.
 */
@ApplicationScoped
public class SessionTopology {

    /** The envelope {@code producer} and {@code requestedBy} of everything coaching publishes (its application name). */
    public static final String PRODUCER = "coaching-service";
    /** The event topics the session processor reads (one source, envelopes). */
    static final List<String> EVENT_INPUTS = List.of(Topics.TRANSCRIPTS, Topics.SESSIONS, Topics.TOOL_RESULTS,
            Topics.AGENT_REPLIES);
    /** Every topic the topology reads: the event topics and coaching's own call topics. */
    static final List<String> INPUTS = List.of(Topics.TRANSCRIPTS, Topics.SESSIONS, Topics.TOOL_RESULTS,
            Topics.AGENT_REPLIES, Topics.LEG_TALK, Topics.CALL_TALK);
    static final List<String> OUTPUTS = List.of(Topics.SUGGESTIONS, Topics.TOOL_CALLS, Topics.AGENT_REPLIES,
            Topics.CALL_TALK, Topics.LEG_TALK);
    private static final List<String> EVENT_OUTPUTS = List.of(Topics.SUGGESTIONS, Topics.TOOL_CALLS,
            Topics.AGENT_REPLIES);

    private static final Logger LOG = Logger.getLogger(SessionTopology.class);

    public static String sink(String topic) {
        return "to-" + topic;
    }

    @Produces
    Topology topology(SessionLogic logic, CoachingMetrics metrics, SessionSequences sequences, CoachingConfig config,
                      OpenTelemetry openTelemetry) {
        var state = config.state();
        var traces = new RecordTraces(openTelemetry);
        var share = config.fairShare();
        var shares = new TenantShares(share.cpuPerSecond(), share.burst(), share.othersWithin(), share.tenants(),
                System::nanoTime);
        var topology = new Topology();
        topology.addSource("inputs", Serdes.String().deserializer(), EventSerde.decoded().deserializer(),
                EVENT_INPUTS.toArray(String[]::new));
        topology.addSource("leg-talk", Serdes.String().deserializer(), TalkJson.deserializer(FarSpeech.class),
                Topics.LEG_TALK);
        topology.addProcessor("sessions", () -> new SessionProcessor(logic, metrics, sequences, state, Clock.systemUTC(),
                traces, shares), "inputs", "leg-talk");
        topology.addStateStore(store(SessionProcessor.SESSIONS_STORE, state.changelog()), "sessions");
        topology.addStateStore(store(SessionProcessor.CONVERSATIONS_STORE, state.changelog()), "sessions");
        for (String topic : EVENT_OUTPUTS) {
            topology.addSink(sink(topic), topic, Serdes.String().serializer(), EventSerde.events().serializer(), "sessions");
        }
        topology.addSink(sink(Topics.CALL_TALK), Topics.CALL_TALK, Serdes.String().serializer(),
                TalkJson.<CallTalk>serializer(), "sessions");
        for (String topic : List.of(Topics.TRANSCRIPTS, Topics.SESSIONS, Topics.TOOL_RESULTS, Topics.AGENT_REPLIES,
                Topics.LEG_TALK)) {
            topology.addSink(sink(Topics.deadLetter(topic)), Topics.deadLetter(topic), Serdes.String().serializer(),
                    Serdes.ByteArray().serializer(), "sessions");
        }
        var calls = config.calls();
        topology.addSource("call-talk", Serdes.String().deserializer(), TalkJson.deserializer(CallTalk.class),
                Topics.CALL_TALK);
        topology.addProcessor("calls", () -> new CallProcessor(calls.maxLegs(), state.inactivityTtl(),
                Clock.systemUTC(), sink(Topics.LEG_TALK), sink(Topics.deadLetter(Topics.CALL_TALK))), "call-talk");
        topology.addStateStore(store(CallProcessor.STORE, state.changelog()), "calls");
        topology.addSink(sink(Topics.LEG_TALK), Topics.LEG_TALK, Serdes.String().serializer(),
                TalkJson.<FarSpeech>serializer(), "calls");
        topology.addSink(sink(Topics.deadLetter(Topics.CALL_TALK)), Topics.deadLetter(Topics.CALL_TALK),
                Serdes.String().serializer(), Serdes.ByteArray().serializer(), "calls");
        if (!state.changelog()) {
            LOG.warn("voicecoach.coaching.state.changelog=false: session state is NOT backed by a changelog and is lost"
                    + " when a partition moves (diagnostic setting)");
        }
        return topology;
    }

    /** A processing error that escaped the processor costs the stream thread, not the service: it is replaced. */
    @Produces
    StreamsUncaughtExceptionHandler uncaughtExceptions() {
        return failure -> {
            LOG.errorf(failure, "a Kafka Streams thread of coaching-service died; replacing it");
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        };
    }

    private static StoreBuilder<?> store(String name, boolean changelog) {
        KeyValueBytesStoreSupplier memory = Stores.inMemoryKeyValueStore(name);
        var builder = Stores.keyValueStoreBuilder(memory, Serdes.String(), Serdes.ByteArray());
        return changelog ? builder.withLoggingEnabled(Map.of()) : builder.withLoggingDisabled();
    }
}
