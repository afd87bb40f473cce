package io.voicecoach.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicecoach.devstack.ConsumerGroups;
import io.voicecoach.devstack.Database;
import io.voicecoach.devstack.EmbeddedPostgresServer;
import io.voicecoach.devstack.Instance;
import io.voicecoach.devstack.KafkaProcess;
import io.voicecoach.devstack.KafkaTopics;
import io.voicecoach.devstack.LocalLlm;
import io.voicecoach.devstack.Service;
import io.voicecoach.devstack.Suite;
import io.voicecoach.devstack.SuiteConfig;
import io.voicecoach.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fault suite: every service runs twice (packaged, separate JVMs) behind balancers, on a broker and a PostgreSQL
 * that the test can restart. An undisturbed reference pass of the scripted call ({@link FaultPass}) fixes what the
 * pipeline produces for it; then, one at a time, a fault hits a pass of the same call: {@code kill -9} of the
 * instance that holds the rep's connection (gateway) or owns the call's partition (the others, from their consumer
 * group's assignment), a broker restart, a PostgreSQL restart. After each: the rep received every suggestion of the
 * reference exactly once (by id), the voice agent finished its tool round, analytics' counts for both sessions equal
 * the reference's, nothing was parked in a {@code .dlq}. The killed instance is started again before the next fault.
 * A table of the faults with their recovery times is printed at the end.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteTest {

    private static final String DEMO_KEY = SuiteConfig.DEFAULT_DEMO_API_KEY;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READY = Duration.ofMinutes(4);
    private static final Duration SETTLED = Duration.ofMinutes(2);
    private static final Duration ANALYTICS_BOUND = Duration.ofMinutes(2);
    private static final List<String> DEAD_LETTER_TOPICS = Topics.PIPELINE.stream()
            .filter(t -> !Topics.COMPACTED.contains(t)).map(Topics::deadLetter).toList();

    /**
     * Extra properties for the services, {@code <module>:<property>=<value>} separated by commas, e.g. a diagnostic
     * knob that switches a state rebuild off to show the suite failing without it:
     * {@code -Dfaults.service-properties=coaching-service:voicecoach.x.y=false}.
     */
    static final String SERVICE_PROPERTIES = "faults.service-properties";

    private static KafkaProcess kafka;
    private static EmbeddedPostgresServer postgres;
    private static LocalLlm llm;
    private static Suite suite;
    private static List<byte[]> audio;
    private static Expected reference;
    private static long suiteStart;
    private static final List<Row> table = new ArrayList<>();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** What the reference pass produced, which every faulted pass must produce again. */
    record Expected(Map<Integer, List<String>> suggestionsByLine, Counts rep, Counts agent) {
    }

    /** Analytics' figures for one session. */
    record Counts(int utterances, int suggestions, int toolCalls, long agentTalkMs, long customerTalkMs) {
    }

    /** One line of the printed table. */
    record Row(String fault, String killed, long recoveryMs, long agentDoneMs, int lost, int duplicated,
               long deadLetters, String result) {
    }

    @BeforeAll
    static void startTheSuiteAndPlayTheReference() {
        assumeTrue(Speech.missingTools().isEmpty(), Speech.skipMessage());
        suiteStart = System.nanoTime();
        var root = SystemTests.modulesDir();
        var missing = Suite.missingJars(root);
        if (!missing.isEmpty()) {
            fail("the fault suite runs the packaged services, but these are missing: " + missing
                    + ". Package them first (./mvnw -B verify builds them before this module).");
        }
        var work = Path.of("target/fault-suite").toAbsolutePath();
        deleteRecursively(work);
        var logs = work.resolve("logs");
        kafka = KafkaProcess.startOnFreePorts(work.resolve("kafka"), logs.resolve("kafka.log"), Duration.ofSeconds(90));
        postgres = EmbeddedPostgresServer.start(0, work.resolve("postgres"));
        llm = LocalLlm.start(0);
        SuiteConfig config = SuiteConfig.withFreePorts(root, logs, kafka.bootstrapServers(), Database.of(postgres), DEMO_KEY)
                .withReplicas(2)
                .withLocalLlm(SuiteConfig.DEMO_TENANT, llm.baseUrl())
                // seven JVMs on a busy 2-core CI machine are slower than production; these bound waits, not results
                .withProperty(Service.COACHING, "voicecoach.coaching.battle-card-wait", "3s")
                // a tool call must outlive a tool-service kill: the group notices it after 10 s, then reassigns
                .withProperty(Service.COACHING, "voicecoach.agent.tool-timeout", "40s")
                // the first tool list each tool-service instance serves is cold (class loading, first query): over
                // the 1 s default here, and the agent would then answer without tools
                .withProperty(Service.COACHING, "voicecoach.agent.tools-timeout", "10s")
                .withProperty(Service.TRANSCRIPTION, "voicecoach.stt.finish-timeout", "PT90S")
                // the agent's caller says one thing and then listens for the rest of the call
                .withProperty(Service.GATEWAY, "voicecoach.limits.idle-timeout", "10m")
                // every pass must produce the reference's suggestions; the must-say timer nudges a call by how long
                // its session stays open (longer in a pass with a fault), which no spoken line decides
                .withProperty(Service.COACHING, "voicecoach.coaching.stages.must-say-timer", "false");
        config = withServiceProperties(config, System.getProperty(SERVICE_PROPERTIES, ""));
        System.out.printf("faults: Kafka %s and PostgreSQL %d up; starting 2 x 5 services (logs in %s)%n",
                kafka.bootstrapServers(), postgres.port(), logs);
        suite = Suite.start(config);
        suite.awaitReady(READY, line -> System.out.println("faults:   " + line));
        assertThat(suite.awaitConsumerGroups(SETTLED)).as("every instance in its consumer groups").isTrue();
        System.out.printf("faults: suite ready after %.1f s%n", seconds(suiteStart));
        System.out.print(ConsumerGroups.table(suite.consumerGroups()));

        audio = FaultPass.synthesise();
        warmUp();
        var pass = new FaultPass("reference", config.realtimeUrl(), DEMO_KEY, audio);
        try {
            double suppressedBefore = repeatsHeldBack();
            pass.play(FaultPass.NONE);
            double suppressed = repeatsHeldBack() - suppressedBefore;
            pass.close();
            int transcribed = (int) pass.rep.frames("conversation.item.input_audio_transcription.completed").stream()
                    .map(f -> f.json().path("item_id").asText()).distinct().count();
            int suggestions = pass.suggestionsByLine().values().stream().mapToInt(List::size).sum();
            int objections = (int) pass.suggestionsByLine().values().stream().flatMap(List::stream)
                    .filter(s -> s.startsWith("objection/")).count();
            // the marker is the last utterance: once it is stored, so is every transcript before it
            var rep = awaitSettledCounts(pass.repSession, c -> c.utterances() == transcribed + 1
                    && c.suggestions() == suggestions && c.toolCalls() == objections);
            var agent = awaitSettledCounts(pass.agentSession, c -> c.toolCalls() == 3);
            reference = new Expected(pass.suggestionsByLine(), rep, agent);
            System.out.printf("faults: reference pass: suggestions by line %s; analytics rep %s, agent %s%n",
                    reference.suggestionsByLine(), rep, agent);
            assertAgentFinished(pass);
            assertThat(reference.suggestionsByLine().get(FaultPass.SPOKEN.size())).as("the marker's suggestion")
                    .containsExactly("buying_signal/buying_signal");
            assertThat(transcribed).as("spoken lines transcribed in the reference pass").isGreaterThanOrEqualTo(
                    FaultPass.SPOKEN.size() - 1);
            assertThat(reference.suggestionsByLine().keySet().stream().filter(l -> l >= FaultPass.FAULT_AT
                    && l < FaultPass.SPOKEN.size())).as("spoken lines after the fault point that are coached").isNotEmpty();
            assertThat(reference.suggestionsByLine()).as("the objection repeated after the fault point is held back "
                    + "(repeat cool-down)").doesNotContainKey(FaultPass.REPEATED_OBJECTION);
            assertThat(reference.suggestionsByLine().get(1)).as("line 1's objection, repeated later")
                    .contains("objection/price");
            assertThat(suppressed).as("repeats coaching held back in the reference pass (it detected the repeated "
                    + "objection)").isGreaterThanOrEqualTo(1);
            assertThat(deadLetters()).as("records in the .dlq topics").isZero();
        } catch (RuntimeException | Error e) {
            diagnose(pass, null);
            throw e;
        }
    }

    static SuiteConfig withServiceProperties(SuiteConfig config, String spec) {
        for (String entry : spec.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.indexOf(':');
            int equals = entry.indexOf('=', colon + 1);
            if (colon < 0 || equals < 0) {
                throw new IllegalArgumentException(SERVICE_PROPERTIES + ": expected <module>:<property>=<value>, got '"
                        + entry + "'");
            }
            String module = entry.substring(0, colon).strip();
            var service = java.util.Arrays.stream(Service.values()).filter(s -> s.module().equals(module)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(SERVICE_PROPERTIES + ": no service " + module));
            config = config.withProperty(service, entry.substring(colon + 1, equals).strip(),
                    entry.substring(equals + 1).strip());
            System.out.printf("faults: %s runs with %s%n", module, entry.substring(colon + 1).strip());
        }
        return config;
    }

    /** Fresh JVMs pay once for models, JIT and connections: one short spoken turn and a booking, not asserted. */
    private static void warmUp() {
        long start = System.nanoTime();
        var url = suite.config().realtimeUrl();
        try (var rep = RealtimeAudioClient.connect(url, DEMO_KEY); var agent = RealtimeAudioClient.connect(url, DEMO_KEY)) {
            rep.awaitSessionId();
            rep.configureServerVad("call_warmup", "rep_warmup");
            agent.awaitSessionId();
            agent.configureAgent("call_warmup_agent");
            agent.say("item_warmup_booking", "customer", FaultPass.BOOKING);
            rep.streamRealTime("customer", audio.get(1));
            rep.awaitFrame(f -> f.type().equals("voicecoach.coaching.suggestion"), FaultPass.PIPELINE_BOUND);
            agent.awaitFrame(f -> f.type().equals("response.done"), FaultPass.PIPELINE_BOUND);
        }
        System.out.printf("faults: warm-up call done after %.1f s%n", seconds(start));
    }

    @AfterAll
    static void stopEverythingAndPrintTheTable() {
        if (!table.isEmpty()) {
            System.out.println();
            System.out.println("faults: fault                    killed                   recovery  agent done   lost  dup  dlq  result");
            for (var row : table) {
                System.out.printf("faults: %-24s %-24s %7s  %10s  %5d  %3d  %3d  %s%n", row.fault(), row.killed(),
                        row.recoveryMs() < 0 ? "-" : row.recoveryMs() + " ms",
                        row.agentDoneMs() < 0 ? "-" : row.agentDoneMs() + " ms", row.lost(), row.duplicated(),
                        row.deadLetters(), row.result());
            }
            System.out.printf("faults: recovery = fault -> next suggestion on the rep's socket; agent done = fault -> "
                    + "the agent's response.done; wall time of the suite %.0f s%n", seconds(suiteStart));
        }
        if (suite != null) {
            suite.stop();
        }
        if (llm != null) {
            llm.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    // ------------------------------------------------------------------ the faults

    @Test
    @Order(1)
    void killTheGatewayInstanceHoldingTheRepsConnection() {
        run("kill -9 gateway", pass -> kill(gatewayHolding(pass)));
    }

    @Test
    @Order(2)
    void killTheTranscriptionInstanceOwningTheCallsAudioMidUtterance() {
        run("kill -9 transcription", new FaultPass.Fault() {
            @Override
            public boolean midUtterance() {
                return true;
            }

            @Override
            public Instance inject(FaultPass pass) {
                return kill(owner(Service.TRANSCRIPTION, Topics.AUDIO, pass.repSession));
            }
        });
    }

    @Test
    @Order(3)
    void killTheCoachingInstanceOwningTheCallsTranscripts() {
        run("kill -9 coaching", pass -> kill(owner(Service.COACHING, Topics.TRANSCRIPTS, pass.repSession)));
    }

    @Test
    @Order(4)
    void killTheToolInstanceOwningTheCallsToolCalls() {
        run("kill -9 tool", pass -> kill(owner(Service.TOOL, Topics.TOOL_CALLS, pass.agentSession)));
    }

    @Test
    @Order(5)
    void killTheAnalyticsInstanceIngestingTheCallsTranscripts() {
        run("kill -9 analytics", pass -> kill(owner(Service.ANALYTICS, Topics.TRANSCRIPTS, pass.repSession)));
    }

    @Test
    @Order(6)
    void restartTheKafkaBroker() {
        run("restart Kafka", downForOneLine("Kafka (controlled shutdown)", kafka::stop, () -> {
            kafka.start();
            kafka.awaitReady(Duration.ofSeconds(90));
        }));
    }

    @Test
    @Order(7)
    void restartPostgresql() {
        run("restart PostgreSQL", downForOneLine("PostgreSQL", postgres::stop, postgres::start));
    }

    /** Stops a piece of infrastructure at the fault and starts it again once the faulted line was streamed. */
    private static FaultPass.Fault downForOneLine(String what, Runnable stop, Runnable start) {
        return new FaultPass.Fault() {
            @Override
            public Instance inject(FaultPass pass) {
                long begin = System.nanoTime();
                stop.run();
                System.out.printf("faults: %s stopped in %.1f s%n", what, seconds(begin));
                return null;
            }

            @Override
            public void afterLine() {
                long begin = System.nanoTime();
                start.run();
                System.out.printf("faults: %s started again in %.1f s (down while one line was spoken)%n", what,
                        seconds(begin));
            }
        };
    }

    // ------------------------------------------------------------------ one faulted pass

    private void run(String fault, FaultPass.Fault injection) {
        assertThat(reference).as("the reference pass ran").isNotNull();
        var pass = new FaultPass(fault.replaceAll("[^a-zA-Z0-9]+", "-"), suite.config().realtimeUrl(), DEMO_KEY, audio);
        long deadLettersBefore = deadLetters();
        System.out.printf("%nfaults: ===== %s =====%n", fault);
        var row = new AtomicReference<>(new Row(fault, "-", -1, -1, -1, -1, -1, "not finished"));
        try {
            pass.play(injection);
            pass.close();
            var lost = missing(reference.suggestionsByLine(), pass.suggestionsByLine());
            var unexpected = missing(pass.suggestionsByLine(), reference.suggestionsByLine());
            int duplicated = duplicates(pass);
            row.set(new Row(fault, killedName(pass), pass.recoveryMs(), pass.agentDoneMs(), lost.size(), duplicated,
                    deadLetters() - deadLettersBefore, "checking analytics"));
            System.out.printf("faults: %s: suggestions by line %s; recovery %d ms; rep drops %s; agent drops %s%n",
                    fault, pass.suggestionsByLine(), pass.recoveryMs(), pass.rep.drops(), pass.agent.drops());

            assertThat(lost).as("suggestions of the reference pass missing after '%s'", fault).isEmpty();
            assertThat(unexpected).as("suggestions the reference pass did not produce").isEmpty();
            assertThat(duplicated).as("frames the rep or the agent received twice").isZero();
            assertThat(pass.recoveryMs()).as("a suggestion was delivered after the fault").isPositive();
            assertAgentFinished(pass);
            assertThat(pass.rep.problems()).as("rep client problems").isEmpty();
            assertThat(pass.agent.problems()).as("agent client problems").isEmpty();
            assertThat(pass.rep.frames("error")).as("error frames to the rep").isEmpty();

            var rep = awaitCounts(pass.repSession, reference.rep());
            var agent = awaitCounts(pass.agentSession, reference.agent());
            assertThat(rep).as("analytics' figures of the rep's session").isEqualTo(reference.rep());
            assertThat(agent).as("analytics' figures of the agent's session").isEqualTo(reference.agent());
            long parked = deadLetters() - deadLettersBefore;
            row.set(new Row(fault, killedName(pass), pass.recoveryMs(), pass.agentDoneMs(), 0, 0, parked,
                    parked == 0 ? "ok" : "records parked"));
            assertThat(parked).as("records parked in the .dlq topics during '%s'", fault).isZero();
        } catch (RuntimeException | Error e) {
            var failed = row.get();
            table.add(new Row(failed.fault(), killedName(pass), failed.recoveryMs(), failed.agentDoneMs(),
                    failed.lost(), failed.duplicated(), failed.deadLetters(), "FAILED: " + firstLine(e)));
            diagnose(pass, pass.killed);
            throw e;
        } finally {
            restore(pass);
        }
        table.add(row.get());
    }

    /** Starts the killed instance again (and infrastructure a failure left stopped), then waits for two of each. */
    private static void restore(FaultPass pass) {
        pass.close();
        if (!kafka.process().alive()) {
            kafka.start();
            kafka.awaitReady(Duration.ofSeconds(90));
        }
        if (!postgres.running()) {
            postgres.start();
        }
        if (pass.killed != null) {
            suite.restart(pass.killed);
            suite.awaitReady(List.of(pass.killed), READY, line -> System.out.println("faults:   restarted " + line));
        }
        assertThat(suite.awaitConsumerGroups(SETTLED)).as("every instance back in its consumer groups").isTrue();
    }

    private static Instance kill(Instance instance) {
        System.out.printf("faults: kill -9 %s (pid %d)%n", instance.name(), suite.process(instance).pid());
        suite.kill(instance);
        return instance;
    }

    /** The gateway instance behind the rep's open connection, as the balancer routed it. */
    private static Instance gatewayHolding(FaultPass pass) {
        var balancer = suite.balancer(Service.GATEWAY).orElseThrow();
        var connections = balancer.openConnections(RealtimeAudioClient.LABEL_PARAM + "=" + pass.repLabel());
        assertThat(connections).as("the rep's open connection through the balancer").isNotEmpty();
        int port = connections.getLast().backendPort();
        System.out.printf("faults: the rep's connection %s goes to port %d%n", connections.getLast().firstLine(), port);
        return suite.instanceOnPort(port).orElseThrow();
    }

    /** The instance of {@code service} whose consumer holds the session's partition of {@code topic}. */
    private static Instance owner(Service service, String topic, String sessionId) {
        int partition = Utils.toPositive(Utils.murmur2(sessionId.getBytes(StandardCharsets.UTF_8)))
                % KafkaTopics.LOCAL_PARTITIONS;
        var groups = suite.consumerGroups();
        System.out.printf("faults: session %s is on partition %d; consumer groups:%n%s", sessionId, partition,
                ConsumerGroups.table(groups));
        var owner = ConsumerGroups.owner(groups, service.module(), topic, partition);
        assertThat(owner).as("owner of %s-%d in group %s", topic, partition, service.module()).isPresent();
        return owner.get();
    }

    // ------------------------------------------------------------------ checks

    private static void assertAgentFinished(FaultPass pass) {
        var done = pass.agent.frames("response.done");
        assertThat(done).as("the agent's response.done").isNotEmpty();
        var last = done.getLast().json().path("response");
        assertThat(last.path("status").asText()).as("the agent's reply: %s", last).isEqualTo("completed");
        assertThat(last.path("voicecoach").path("delivered_text").asText()).as("the agent's confirmation")
                .contains("booked");
        var tools = pass.agent.frames("response.function_call_arguments.done").stream()
                .map(f -> f.json().path("name").asText()).distinct().toList();
        assertThat(tools).as("the tool round").containsExactly("lookup_customer", "get_available_slots",
                "book_appointment");
    }

    /**
     * Frames of one kind whose id came before: suggestions, battle cards, stage changes (one per utterance at most),
     * transcripts, agent calls and replies.
     */
    private static int duplicates(FaultPass pass) {
        int repeats = repeats(pass.rep.frames("voicecoach.coaching.suggestion"), f -> f.path("suggestion").path("id"))
                + repeats(pass.rep.frames("voicecoach.coaching.battle_card"), f -> f.path("suggestion_id"))
                + repeats(pass.rep.frames("voicecoach.stage.changed"), f -> f.path("item_id"))
                + repeats(pass.rep.frames("conversation.item.input_audio_transcription.completed"), f -> f.path("item_id"))
                + repeats(pass.agent.frames("response.function_call_arguments.done"), f -> f.path("call_id"))
                + repeats(pass.agent.frames("response.done"), f -> f.path("response").path("id"));
        if (repeats > 0) {
            System.out.printf("faults: %d repeated frame(s); rep frames by type %s%n", repeats,
                    countByType(pass.rep.frames()));
        }
        return repeats;
    }

    private static int repeats(List<RealtimeAudioClient.Frame> frames, Function<JsonNode, JsonNode> id) {
        return frames.size() - (int) frames.stream().map(f -> id.apply(f.json()).asText()).distinct().count();
    }

    private static Map<String, Long> countByType(List<RealtimeAudioClient.Frame> frames) {
        var counts = new LinkedHashMap<String, Long>();
        frames.forEach(f -> counts.merge(f.type(), 1L, Long::sum));
        return counts;
    }

    /** What {@code expected} has that {@code got} lacks, as "line N: kind/category". */
    private static List<String> missing(Map<Integer, List<String>> expected, Map<Integer, List<String>> got) {
        var out = new ArrayList<String>();
        expected.forEach((line, suggestions) -> {
            var left = new ArrayList<>(got.getOrDefault(line, List.of()));
            for (String suggestion : suggestions) {
                if (!left.remove(suggestion)) {
                    out.add("line " + line + ": " + suggestion);
                }
            }
        });
        return out;
    }

    /** Waits until analytics' figures for the session equal {@code expected}; returns the last figures read. */
    private static Counts awaitCounts(String sessionId, Counts expected) {
        var last = new AtomicReference<Counts>();
        try {
            await().atMost(ANALYTICS_BOUND).pollInterval(Duration.ofMillis(500)).until(() -> {
                last.set(counts(sessionId).orElse(null));
                return expected.equals(last.get());
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            System.out.printf("faults: analytics still shows %s for %s, expected %s%n", last.get(), sessionId, expected);
        }
        return last.get();
    }

    /** The reference pass: waits until the session has ended, {@code done} holds and two reads agree. */
    private static Counts awaitSettledCounts(String sessionId, java.util.function.Predicate<Counts> done) {
        var last = new AtomicReference<Counts>();
        await().atMost(ANALYTICS_BOUND).pollInterval(Duration.ofMillis(500)).until(() -> {
            var now = counts(sessionId);
            boolean stable = now.isPresent() && now.get().equals(last.get()) && done.test(now.get());
            last.set(now.orElse(null));
            return stable;
        });
        return last.get();
    }

    /** Analytics' figures for one ended session, read over its REST API with the demo key; empty until it ended. */
    private static Optional<Counts> counts(String sessionId) {
        try {
            var response = HTTP.send(HttpRequest.newBuilder(URI.create(suite.config().httpUrl(Service.ANALYTICS)
                            + "/api/v1/sessions/" + sessionId)).header("Authorization", "Bearer " + DEMO_KEY)
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            var body = JSON.readTree(response.body());
            if (body.path("endedAt").isNull() || body.path("endedAt").isMissingNode()) {
                return Optional.empty();
            }
            var speakers = body.path("metrics").path("speakers");
            var completed = new ArrayList<JsonNode>();
            body.path("toolCalls").forEach(call -> {
                if (!"pending".equals(call.path("outcome").asText())) {
                    completed.add(call);
                }
            });
            return Optional.of(new Counts(body.path("utterances").size(), body.path("suggestions").size(),
                    completed.size(), speakers.path("agent").path("talkMs").asLong(),
                    speakers.path("customer").path("talkMs").asLong()));
        } catch (Exception e) {
            return Optional.empty(); // the instance behind the balancer died, the key check timed out: ask again
        }
    }

    /** What analytics stores for a session (ended or not), in one line, for diagnostics. */
    private static String analyticsView(String sessionId) {
        try {
            var response = HTTP.send(HttpRequest.newBuilder(URI.create(suite.config().httpUrl(Service.ANALYTICS)
                            + "/api/v1/sessions/" + sessionId)).header("Authorization", "Bearer " + DEMO_KEY)
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return "HTTP " + response.statusCode();
            }
            var body = JSON.readTree(response.body());
            var utterances = new ArrayList<String>();
            body.path("utterances").forEach(u -> utterances.add(u.path("track").asText() + ":"
                    + u.path("utteranceId").asText() + " \"" + u.path("text").asText() + "\""));
            return "ended " + body.path("endedAt").asText("-") + " (" + body.path("endReason").asText("-") + "), "
                    + body.path("suggestions").size() + " suggestions, " + body.path("toolCalls").size()
                    + " tool calls, utterances " + utterances;
        } catch (Exception e) {
            return "(no answer: " + e + ")";
        }
    }

    /** Suggestions the coaching instances held back as repeats so far ({@code voicecoach.coaching.suggestions.suppressed}). */
    private static double repeatsHeldBack() {
        double total = 0;
        for (var instance : suite.instances()) {
            if (instance.service() != Service.COACHING) {
                continue;
            }
            try {
                var response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port()
                        + "/q/metrics")).timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
                total += response.body().lines().filter(l -> l.startsWith("voicecoach_coaching_suggestions_suppressed_total"))
                        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot read " + instance.name() + "'s metrics", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return total;
    }

    /** Records in every {@code .dlq} topic so far. */
    private static long deadLetters() {
        try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            var request = new HashMap<TopicPartition, OffsetSpec>();
            DEAD_LETTER_TOPICS.forEach(t -> request.put(new TopicPartition(t, 0), OffsetSpec.latest()));
            return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(o -> o.offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the .dlq topics' end offsets", e);
        }
    }

    // ------------------------------------------------------------------ diagnostics

    /** Who owned what, the balancer's routing, and the logs of the killed instance (or all, without one). */
    private static void diagnose(FaultPass pass, Instance killed) {
        System.out.println("faults: ----- diagnostics for " + pass.name() + " -----");
        try {
            System.out.print(ConsumerGroups.table(suite.consumerGroups()));
        } catch (RuntimeException e) {
            System.out.println("faults: cannot describe the consumer groups: " + e.getMessage());
        }
        suite.balancer(Service.GATEWAY).ifPresent(b -> b.connections().stream()
                .filter(c -> c.firstLine().contains(RealtimeAudioClient.LABEL_PARAM))
                .sorted(Comparator.comparing(c -> c.openedAt()))
                .forEach(c -> System.out.printf("faults:   gateway connection %s -> %s %s%n", c.firstLine(),
                        suite.instanceOnPort(c.backendPort()).map(Instance::name).orElse("(none)"),
                        c.open() ? "open" : "closed")));
        if (pass.rep != null) {
            System.out.println("faults: rep frames by type " + countByType(pass.rep.frames()) + ", drops "
                    + pass.rep.drops() + ", problems " + pass.rep.problems());
        }
        if (pass.agent != null) {
            System.out.println("faults: agent frames by type " + countByType(pass.agent.frames()) + ", drops "
                    + pass.agent.drops() + ", problems " + pass.agent.problems());
        }
        for (String session : java.util.Arrays.asList(pass.repSession, pass.agentSession)) {
            if (session != null) {
                System.out.println("faults: analytics holds for " + session + ": " + analyticsView(session));
                System.out.println("faults: Kafka holds for " + session + ":");
                for (String topic : List.of(Topics.AUDIO, Topics.TRANSCRIPTS, Topics.SUGGESTIONS, Topics.AGENT_REPLIES,
                        Topics.TOOL_CALLS, Topics.TOOL_RESULTS)) {
                    SessionRecords.of(kafka.bootstrapServers(), topic, session).forEach(l -> System.out.println("  " + l));
                }
                System.out.println("faults: log lines naming " + session + ":");
                suite.instances().forEach(i -> io.voicecoach.devstack.ManagedProcess.tail(suite.config().log(i), 20_000)
                        .lines().filter(l -> l.contains(session)).forEach(l -> System.out.println("  " + i.name()
                                + ": " + l)));
            }
        }
        if (killed != null) {
            System.out.print(suite.logTail(killed, 120));
        }
        System.out.print(suite.logTails(40));
    }

    private static String killedName(FaultPass pass) {
        return pass.killed == null ? "-" : pass.killed.name();
    }

    private static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot clean " + dir, e);
        }
    }
}
