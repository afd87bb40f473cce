package io.voicecoach.devstack;

import io.voicecoach.events.Topics;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * A real single-node Apache Kafka broker in KRaft mode (combined broker and controller), in this JVM.
 * Run {@link #main} to host one as its own process.
 */
public final class EmbeddedKafka implements AutoCloseable {

    /**
     * Every topic of the pipeline and the call-keyed ones ({@link Topics#BY_CALL}), created up front (with their
     * dead-letter twins) so no consumer races a producer.
     */
    public static final List<String> PIPELINE_TOPICS = java.util.stream.Stream.concat(Topics.PIPELINE.stream(),
            Topics.BY_CALL.stream()).toList();

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDir;
    private final boolean deleteOnClose;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Path dataDir, boolean deleteOnClose) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
    }

    /** Starts a broker on a free port with a temporary log directory, removed on close. */
    public static EmbeddedKafka startEphemeral() {
        try {
            return start(Ports.free(), Ports.free(), Files.createTempDirectory("vc-kafka-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static EmbeddedKafka start(int port, int controllerPort, Path dataDir, boolean deleteOnClose) {
        var props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", dataDir.resolve("logs").toString());
        props.put("num.partitions", "4");
        props.put("auto.create.topics.enable", "true");
        // one node: every internal topic must get by with one replica or consumers never see records
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        try {
            Files.createDirectories(dataDir);
            var configFile = dataDir.resolve("server.properties");
            try (Writer out = Files.newBufferedWriter(configFile)) {
                props.store(out, "VoiceCoach devstack broker");
            }
            format(configFile, dataDir);
            var server = withKafkaClassLoader(() -> {
                var raftServer = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
                raftServer.startup();
                return raftServer;
            });
            var kafka = new EmbeddedKafka(server, "127.0.0.1:" + port, dataDir, deleteOnClose);
            KafkaTopics.createPipeline(kafka.bootstrapServers(), KafkaTopics.LOCAL_PARTITIONS);
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Kafka instantiates plugins through the thread's context class loader; under Quarkus's test class loaders
     * that can be a different loader from the one that loaded the broker.
     */
    private static <T> T withKafkaClassLoader(java.util.function.Supplier<T> action) {
        var thread = Thread.currentThread();
        var previous = thread.getContextClassLoader();
        thread.setContextClassLoader(KafkaRaftServer.class.getClassLoader());
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static void format(Path configFile, Path dataDir) {
        if (Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
            return;
        }
        var output = new ByteArrayOutputStream();
        int rc = StorageTool.execute(new String[]{"format", "-t", Uuid.randomUuid().toString(), "-c",
                configFile.toString(), "--ignore-formatted"}, new PrintStream(output, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IllegalStateException("kafka storage format failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }

    /** Creates each topic (and its {@code .dlq} twin) with {@code partitions}; see {@link KafkaTopics#create}. */
    public void createTopics(List<String> topics, int partitions) {
        KafkaTopics.create(bootstrapServers, topics, partitions);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (deleteOnClose) {
            Files2.deleteRecursively(dataDir);
        }
    }

    /** {@code EmbeddedKafka <port> <controllerPort> <dataDir>}: hosts a broker until the process is stopped. */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9092;
        int controllerPort = args.length > 1 ? Integer.parseInt(args[1]) : 9093;
        Path dir = Path.of(args.length > 2 ? args[2] : "target/devstack/kafka");
        var kafka = start(port, controllerPort, dir, false);
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "kafka-shutdown"));
        System.out.println("kafka ready on " + kafka.bootstrapServers());
        Thread.currentThread().join();
    }
}
