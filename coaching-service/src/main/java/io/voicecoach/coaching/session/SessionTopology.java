package io.voicecoach.coaching.session;

import io.opentelemetry.api.OpenTelemetry;
import io.voicecoach.coaching.CoachingConfig;
import io.voicecoach.coaching.SessionSequences;
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
 */
@ApplicationScoped
public class SessionTopology {

    /** The envelope {@code producer} and {@code requestedBy} of everything coaching publishes (its application name). */
    public static final String PRODUCER = "coaching-service";
    static final List<String> INPUTS = List.of(Topics.TRANSCRIPTS, Topics.SESSIONS, Topics.TOOL_RESULTS,
            Topics.AGENT_REPLIES);
    static final List<String> OUTPUTS = List.of(Topics.SUGGESTIONS, Topics.TOOL_CALLS, Topics.AGENT_REPLIES);

    private static final Logger LOG = Logger.getLogger(SessionTopology.class);

    static String sink(String topic) {
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
                INPUTS.toArray(String[]::new));
        topology.addProcessor("sessions", () -> new SessionProcessor(logic, metrics, sequences, state, Clock.systemUTC(),
                traces, shares), "inputs");
        topology.addStateStore(store(SessionProcessor.SESSIONS_STORE, state.changelog()), "sessions");
        topology.addStateStore(store(SessionProcessor.CONVERSATIONS_STORE, state.changelog()), "sessions");
        for (String topic : OUTPUTS) {
            topology.addSink(sink(topic), topic, Serdes.String().serializer(), EventSerde.events().serializer(), "sessions");
        }
        for (String topic : INPUTS) {
            topology.addSink(sink(Topics.deadLetter(topic)), Topics.deadLetter(topic), Serdes.String().serializer(),
                    Serdes.ByteArray().serializer(), "sessions");
        }
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
