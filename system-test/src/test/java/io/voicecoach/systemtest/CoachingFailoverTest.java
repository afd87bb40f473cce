package io.voicecoach.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.voicecoach.devstack.EmbeddedKafka;
import io.voicecoach.devstack.EmbeddedPostgresServer;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.devstack.ManagedProcess;
import io.voicecoach.devstack.Service;
import io.voicecoach.devstack.SuiteConfig;
import io.voicecoach.events.AgentResponseDone;
import io.voicecoach.events.BattleCard;
import io.voicecoach.events.CallSummary;
import io.voicecoach.events.ComplianceChecklist;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionEnded;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.StageChanged;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.SuggestionCard;
import io.voicecoach.events.ToolCall;
import io.voicecoach.events.ToolResult;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two packaged coaching-service processes in one Kafka Streams application; a scripted coach session and a voice-agent
 * session on the same partition; the instance that owns it is killed with SIGKILL in the middle of the call, while
 * the agent waits for its tool's result. The survivor must carry on from the session's state as if nothing had
 * happened: the same suggestions (ids and content) exactly once after de-duplication by {@code eventId}, the same
 * nudges and stage timeline as an uninterrupted run of the same script, and an agent that finishes its tool round with
 * the whole history in its next LLM request, and a post-call summary the dead owner was still writing that arrives
 * once, written by the survivor. {@code -Dfailover.coaching.changelog=false} runs the instances with the
 * diagnostic setting that keeps no changelog: then this test fails. A second test kills the owner of a rep's session
 * whose customer is another session of the call (a second leg, on the other instance's partition).
 */
class CoachingFailoverTest {

    private static final String GROUP = "coaching-service";
    private static final String TENANT = "failover";
    private static final String AGENT_TENANT = "failover-agent";
    private static final Duration BOUND = Duration.ofSeconds(60);
    /** The owner dies once the outputs of this many script lines are out. */
    private static final int KILLED_AFTER = 4;
    private static final List<Line> SCRIPT = List.of(
            new Line(Track.AGENT, "Just so you know, this call is being recorded. Can you walk me through how your team "
                    + "handles renewals today?", 0, 6_000),
            new Line(Track.CUSTOMER, "Sure, we keep everything in spreadsheets.", 6_000, 9_000),
            new Line(Track.CUSTOMER, "Honestly the price is too high for us this quarter.", 9_000, 12_000),
            new Line(Track.AGENT, "Let me tell you all about us and everything we do.", 12_000, 80_000),
            // after the kill: the price objection is cooling down, the stage moves on from "situation", the recording
            // notice was said, the rep's monologue nudge is cooling down: all of it is in the state
            new Line(Track.CUSTOMER, "It's too expensive, really.", 80_000, 82_000),
            new Line(Track.AGENT, "What frustrates your team most about that?", 82_000, 84_000),
            new Line(Track.CUSTOMER, "Maybe, but we are already talking to Globex about this.", 84_000, 87_000),
            new Line(Track.AGENT, "Honestly, I guarantee you will double your pipeline in a month.", 87_000, 90_000),
            new Line(Track.AGENT, "So let me walk you through the whole roadmap in detail.", 90_000, 160_000),
            new Line(Track.CUSTOMER, "That makes sense. How soon could we get started, and what does the contract look "
                    + "like?", 160_000, 163_000));

    private record Line(String track, String text, long startMs, long endMs) {
    }

    private static EmbeddedKafka kafka;
    private static EmbeddedPostgresServer postgres;
    private static LlmStub llm;
    private static KafkaTestClient client;
    private static final Map<String, ManagedProcess> instances = new LinkedHashMap<>();
    private static final Map<String, Integer> ports = new HashMap<>();

    @RegisterExtension
    static final SystemTests.Failures FAILURES = new SystemTests.Failures();

    @BeforeAll
    static void startTwoInstances() throws IOException {
        var jar = Service.COACHING.jarIn(SystemTests.modulesDir());
        if (!jar.toFile().isFile()) {
            fail("this test runs the packaged coaching-service, but " + jar + " is missing. Package it first.");
        }
        kafka = EmbeddedKafka.startEphemeral();
        postgres = EmbeddedPostgresServer.startEphemeral();
        llm = new LlmStub();
        client = new KafkaTestClient(kafka.bootstrapServers());
        var logDir = Path.of("target/coaching-failover-logs").toAbsolutePath();
        // devstack hands out free ports through SuiteConfig; this test needs two of them
        var free = SuiteConfig.withFreePorts(SystemTests.modulesDir(), logDir, kafka.bootstrapServers(), null, "unused");
        var freePorts = List.of(free.port(Service.COACHING), free.port(Service.TOOL));
        for (String name : List.of("coaching-a", "coaching-b")) {
            int port = freePorts.get(ports.size());
            ports.put(name, port);
            instances.put(name, ManagedProcess.start(name, command(jar, name, port), logDir.resolve(name + ".log"),
                    SystemTests.modulesDir()));
        }
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (var instance : instances.values()) {
                if (!instance.alive()) {
                    throw new IllegalStateException(instance.name() + " exited:\n" + instance.tail(40));
                }
            }
            return instances.keySet().stream().allMatch(CoachingFailoverTest::ready)
                    && owners().values().stream().distinct().count() == 2;
        });
        System.out.println("coaching failover: both instances ready, partitions " + owners());
    }

    private static List<String> command(Path jar, String name, int port) {
        var command = new ArrayList<String>();
        command.add(ManagedProcess.javaExecutable());
        command.addAll(SuiteConfig.DEFAULT_JVM_OPTIONS);
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dkafka.bootstrap.servers=" + kafka.bootstrapServers());
        command.add("-Dquarkus.datasource.jdbc.url=" + postgres.jdbcUrlForSchema("coaching"));
        command.add("-Dquarkus.datasource.username=" + EmbeddedPostgresServer.USER);
        command.add("-Dquarkus.datasource.password=" + EmbeddedPostgresServer.PASSWORD);
        // client ids name the instance, to find it in the group's assignment
        command.add("-Dkafka-streams.client.id=" + name);
        // the broker's minimum session timeout: the group notices the dead instance in seconds
        command.add("-Dkafka-streams.consumer.session.timeout.ms=6000");
        command.add("-Dkafka-streams.consumer.heartbeat.interval.ms=1000");
        command.add("-Dkafka-streams.producer.transaction.timeout.ms=6000");
        command.add("-Dvoicecoach.coaching.state.changelog=" + System.getProperty("failover.coaching.changelog", "true"));
        // lines sent while the partition is moving are coached ~10 s late; their cards must still count
        command.add("-Dvoicecoach.coaching.battle-card-wait=PT60S");
        command.add("-Dvoicecoach.agent.tool-timeout=PT20S");
        command.add("-Dvoicecoach.agent.tools-url=" + llm.url());
        command.add("-Dvoicecoach.llm.tenants.\"" + AGENT_TENANT + "\".enabled=true");
        command.add("-Dvoicecoach.llm.tenants.\"" + AGENT_TENANT + "\".base-url=" + llm.url() + "/v1");
        command.add("-Dvoicecoach.auth.gateway-url=http://127.0.0.1:9");
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }

    @AfterAll
    static void stopEverything() {
        if (FAILURES.any()) {
            instances.values().forEach(i -> System.out.println("----- " + i.log() + "\n" + i.tail(80)));
        }
        instances.values().forEach(ManagedProcess::requestStop);
        instances.values().forEach(i -> i.awaitExit(Duration.ofSeconds(15)));
        if (client != null) {
            client.close();
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

    @Test
    void killingTheOwnerMidCallChangesNothingTheUserSees() throws IOException {
        ensureTwoInstances();
        String session = "sess_failover_" + UUID.randomUUID();
        int partition = partitionOf(session);
        String agentSession = sessionOn(partition, "sess_failover_agent_");
        String owner = owners().get(partition);
        assertThat(owner).as("owner of partition %d", partition).isNotNull();
        String survivor = instances.keySet().stream().filter(n -> !n.equals(owner)).findFirst().orElseThrow();
        System.out.printf("coaching failover: sessions %s and %s on partition %d, owned by %s%n", session,
                agentSession, partition, owner);

        try (var suggestions = client.read(Topics.SUGGESTIONS); var calls = client.read(Topics.TOOL_CALLS);
             var replies = client.read(Topics.AGENT_REPLIES)) {
            var toolService = new ToolService(calls);
            start(session, TENANT, "coach");
            start(agentSession, AGENT_TENANT, "agent");
            // a call that ended: its owner is writing the summary (the LLM holds the answer) when it dies
            String summarySession = sessionOn(partition, "sess_failover_summary_");
            String summaryLine = "Please send me the quote by Friday, reference " + summarySession + ".";
            start(summarySession, AGENT_TENANT, "coach");
            client.send(Topics.TRANSCRIPTS, Envelope.of(EventTypes.TRANSCRIPT_FINAL, AGENT_TENANT, summarySession, 2,
                    "system-test", new Transcript("item_summary_1", Track.CUSTOMER, summaryLine, true, 0, 2_000, 1.0,
                            "text", Instant.now())));
            client.send(Topics.SESSIONS, Envelope.of(EventTypes.SESSION_ENDED, AGENT_TENANT, summarySession, 3,
                    "system-test", new SessionEnded("client_closed", 2_000)));
            await().atMost(BOUND).until(() -> llm.summaryRequests(summaryLine) == 1);
            var events = new ArrayList<Envelope>();
            for (int i = 0; i < KILLED_AFTER; i++) {
                events.add(say(session, i));
                awaitCoached(suggestions, calls, session, events.getLast());
            }

            // the agent asks for a tool; the owner dies while the round waits for the result
            llm.script(request -> request.path("messages").toString().contains("\"role\":\"tool\"")
                    ? LlmStub.text("We have 9am and 11am tomorrow.")
                    : LlmStub.toolCall("call_slots", "get_available_slots", "{\"date\": \"2026-12-07\"}"));
            client.send(Topics.TRANSCRIPTS, Envelope.of(EventTypes.TRANSCRIPT_FINAL, AGENT_TENANT, agentSession, 1,
                    "system-test", new Transcript("item_agent_1", Track.CUSTOMER, "Can I bring my car in tomorrow?",
                            true, 0, 2_000, 1.0, "text", Instant.now())));
            var agentCall = calls.awaitOne(r -> agentSession.equals(r.key()), BOUND).envelope();
            var killedAt = kill(owner);
            System.out.printf("coaching failover: killed %s (SIGKILL) at %s, the agent waiting for %s%n", owner,
                    killedAt, agentCall.payloadAs(ToolCall.class).callId());
            toolService.answer(agentCall, "{\"slots\": [\"09:00\", \"11:00\"]}");
            llm.answerSummaries();

            for (int i = KILLED_AFTER; i < SCRIPT.size(); i++) {
                events.add(say(session, i));
            }
            var next = suggestions.awaitOne(r -> session.equals(r.key()) && r.envelope() != null
                    && r.envelope().occurredAt().isAfter(killedAt), BOUND);
            System.out.printf("coaching failover: kill -> next output on coach.suggestions: %d ms (%s)%n",
                    Duration.between(killedAt, next.envelope().occurredAt()).toMillis(), next.envelope().type());
            awaitCoached(suggestions, calls, session, events.getLast());

            // the reference: the same script, uninterrupted, on the survivor
            String reference = "sess_failover_ref_" + UUID.randomUUID();
            start(reference, TENANT, "coach");
            for (int i = 0; i < SCRIPT.size(); i++) {
                awaitCoached(suggestions, calls, reference, say(reference, i));
            }

            var shown = shown(suggestions, session);
            var expected = shown(suggestions, reference);
            System.out.printf("coaching failover: %d distinct outputs after the kill run, %d in the reference%n",
                    shown.size(), expected.size());
            shown.forEach(o -> System.out.println("coaching failover:   " + describe(o)));
            // cards follow their suggestion whenever tool-service answers, so only the stage timeline has a fixed order
            assertThat(shown).extracting(CoachingFailoverTest::describe).as("what the rep sees")
                    .containsExactlyInAnyOrderElementsOf(expected.stream().map(CoachingFailoverTest::describe).toList());
            assertThat(shown).as("stage timeline").filteredOn(e -> EventTypes.STAGE_CHANGED.equals(e.type()))
                    .extracting(e -> e.payloadAs(StageChanged.class).stage()).containsExactly("situation", "problem");
            assertExactlyOnce(suggestions, session, events);

            var done = replies.awaitOne(r -> agentSession.equals(r.key()) && r.envelope() != null
                    && EventTypes.AGENT_RESPONSE_DONE.equals(r.envelope().type()), BOUND).envelope();
            System.out.printf("coaching failover: kill -> agent's reply done: %d ms%n",
                    Duration.between(killedAt, done.occurredAt()).toMillis());

            var done2 = done.payloadAs(AgentResponseDone.class);
            assertThat(done2.status()).isEqualTo("completed");
            assertThat(done2.deliveredText()).isEqualTo("We have 9am and 11am tomorrow.");
            var second = llm.requests().getLast().path("messages");
            var roles = new ArrayList<String>();
            second.forEach(m -> roles.add(m.path("role").asText()));
            assertThat(roles).as("the agent's next LLM request carries the history").containsExactly("system", "user",
                    "assistant", "tool");
            assertThat(second.get(1).path("content").asText()).isEqualTo("Can I bring my car in tomorrow?");
            assertThat(second.get(2).path("tool_calls").get(0).path("id").asText()).isEqualTo("call_slots");
            assertThat(second.get(3).path("content").asText()).contains("09:00");
            assertThat(calls.all().stream().filter(r -> agentSession.equals(r.key()) && r.envelope() != null)
                    .map(r -> r.envelope().eventId()).distinct()).as("the agent's tool call, once").hasSize(1);

            var summary = suggestions.awaitOne(r -> summarySession.equals(r.key()) && r.envelope() != null
                    && EventTypes.CALL_SUMMARY.equals(r.envelope().type()), BOUND).envelope();
            System.out.printf("coaching failover: kill -> the ended call's summary: %d ms%n",
                    Duration.between(killedAt, summary.occurredAt()).toMillis());
            assertThat(summary.payloadAs(CallSummary.class).summary()).isEqualTo(LlmStub.SUMMARY);
            assertThat(llm.summaryRequests(summaryLine)).as("the survivor wrote it again").isEqualTo(2);
            assertThat(shown(suggestions, summarySession).stream()
                    .filter(e -> EventTypes.CALL_SUMMARY.equals(e.type()))).as("the summary, once").hasSize(1);
        }
        assertThat(instances.get(owner).alive()).isFalse();
        assertThat(owners().get(partition)).isEqualTo(survivor);
    }

    /**
     * A call in two sessions (the rep's leg carries only the agent track, the customer's leg, on a partition of the
     * other instance, only the customer track): the rep's session hears the customer through coaching's call topics.
     * Its owner is killed halfway through two minutes of 50:50 turns; the survivor restores the session (with the
     * customer speech heard so far) and carries on: no talk-ratio nudge, and the rep's monologue at the end is nudged
     * once, on the rep's session.
     */
    @Test
    void aRepsSessionWhoseCustomerIsASecondLegKeepsHearingItAcrossAKillOfItsOwner() throws IOException {
        ensureTwoInstances();
        var owners = owners();
        int repPartition = owners.keySet().iterator().next();
        String owner = owners.get(repPartition);
        int customerPartition = owners.entrySet().stream().filter(e -> !e.getValue().equals(owner))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        String rep = sessionOn(repPartition, "sess_leg_rep_");
        String customer = sessionOn(customerPartition, "sess_leg_customer_");
        String call = "call_failover_" + UUID.randomUUID();
        System.out.printf("coaching failover, two legs: rep %s on partition %d (%s), customer %s on %d%n", rep,
                repPartition, owner, customer, customerPartition);

        try (var suggestions = client.read(Topics.SUGGESTIONS); var callTalk = client.read(Topics.CALL_TALK);
             var legTalk = client.readCommitted(Topics.LEG_TALK)) {
            startLeg(rep, call, Track.AGENT);
            startLeg(customer, call, Track.CUSTOMER);
            for (String leg : List.of(rep, customer)) {
                callTalk.awaitOne(r -> r.valueAsString().contains("\"joined\"") && r.valueAsString().contains(leg), BOUND);
            }
            var start = Instant.now();
            Instant killedAt = null;
            for (int turn = 0; turn < 6; turn++) {
                if (turn == 3) {
                    killedAt = kill(owner);
                    System.out.printf("coaching failover, two legs: killed %s at %s%n", owner, killedAt);
                }
                long at = turn * 20_000L;
                legLine(rep, Track.AGENT, turn == 0 ? "Just so you know, this call is being recorded."
                        : "Here is how we would handle that part of it.", at, at + 10_000, start);
                String heard = legLine(customer, Track.CUSTOMER, "We have about twenty people on the team.",
                        at + 10_000, at + 20_000, start).payloadAs(Transcript.class).utteranceId();
                // the rep's next line follows the customer's speech (committed) on the rep's partition, as in a live
                // call, where the rep answers seconds later
                legTalk.awaitOne(r -> rep.equals(r.key()) && r.valueAsString().contains(heard), BOUND);
            }
            var monologue = legLine(rep, Track.AGENT, "Let me walk you through the whole roadmap in detail.", 120_000,
                    190_000, start);
            legLine(rep, Track.CUSTOMER, "Honestly the price is too high for us this quarter.", 191_000, 194_000,
                    start);
            suggestions.awaitOne(r -> rep.equals(r.key()) && r.envelope() != null
                    && EventTypes.SUGGESTION.equals(r.envelope().type())
                    && "objection".equals(r.envelope().payloadAs(Suggestion.class).kind()), BOUND);

            var talkNudges = shown(suggestions, rep).stream().filter(e -> EventTypes.SUGGESTION.equals(e.type()))
                    .map(e -> e.payloadAs(Suggestion.class))
                    .filter(n -> "nudge".equals(n.kind()) && Set.of("monologue", "talk_ratio").contains(n.category()))
                    .toList();
            assertThat(talkNudges).extracting(Suggestion::category).as("no talk-ratio nudge at 50%%, the monologue once")
                    .containsExactly("monologue");
            assertThat(talkNudges.getFirst().utteranceId())
                    .isEqualTo(monologue.payloadAs(Transcript.class).utteranceId());
            // (the customer leg carries no agent track, so coaching gives it no must-say nudge or checklist either)
            assertThat(shown(suggestions, customer)).filteredOn(e -> EventTypes.SUGGESTION.equals(e.type()))
                    .map(e -> e.payloadAs(Suggestion.class)).as("no talk-time nudge for the customer leg")
                    .noneMatch(n -> "nudge".equals(n.kind()) && Set.of("monologue", "talk_ratio").contains(n.category()));
            assertThat(killedAt).isNotNull();
        }
        assertThat(instances.get(owner).alive()).isFalse();
    }

    /** Restarts an instance the other test killed, so this one starts with two again. */
    private static void ensureTwoInstances() throws IOException {
        var logDir = Path.of("target/coaching-failover-logs").toAbsolutePath();
        var jar = Service.COACHING.jarIn(SystemTests.modulesDir());
        for (var name : List.copyOf(instances.keySet())) {
            if (!instances.get(name).alive()) {
                instances.put(name, ManagedProcess.start(name, command(jar, name, ports.get(name)),
                        logDir.resolve(name + ".log"), SystemTests.modulesDir(), Map.of(), true));
            }
        }
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() ->
                instances.keySet().stream().allMatch(CoachingFailoverTest::ready)
                        && owners().values().stream().distinct().count() == 2);
    }

    private static void startLeg(String session, String call, String track) {
        client.send(Topics.SESSIONS, Envelope.of(EventTypes.SESSION_STARTED, TENANT, session, 1, "system-test",
                new SessionStarted("coach", call, "rep_failover", List.of(track), "en-US", "audio/pcm", Map.of())));
    }

    /** A final transcript of a leg whose session time 0 is {@code start} on the gateway's clock. */
    private static Envelope legLine(String session, String track, String text, long startMs, long endMs,
                                    Instant start) {
        var event = Envelope.of(EventTypes.TRANSCRIPT_FINAL, TENANT, session, 2, "system-test",
                new Transcript("item_" + UUID.randomUUID(), track, text, true, startMs, endMs, 0.9, "pocketsphinx",
                        start.plusMillis(endMs)));
        client.send(Topics.TRANSCRIPTS, event);
        return event;
    }

    /** Each script line's outputs have one event id each: a redo after the kill repeated ids, it made no new ones. */
    private static void assertExactlyOnce(KafkaTestClient.TopicReader suggestions, String session, List<Envelope> events) {
        var byOutput = new HashMap<String, Set<UUID>>();
        for (var record : suggestions.all()) {
            if (session.equals(record.key()) && record.envelope() != null) {
                byOutput.computeIfAbsent(describe(record.envelope()), k -> ConcurrentHashMap.newKeySet())
                        .add(record.envelope().eventId());
            }
        }
        assertThat(byOutput).allSatisfy((output, ids) -> assertThat(ids).as(output).hasSize(1));
        for (int i = 0; i < events.size(); i++) {
            String derived = UUID.nameUUIDFromBytes(("suggestion:" + events.get(i).eventId())
                    .getBytes(StandardCharsets.UTF_8)).toString();
            int line = i;
            shown(suggestions, session).stream().filter(e -> EventTypes.SUGGESTION.equals(e.type()))
                    .map(e -> e.payloadAs(Suggestion.class))
                    .filter(s -> s.utteranceId().endsWith("_" + line) && !"nudge".equals(s.kind())
                            && !"compliance".equals(s.kind()))
                    .forEach(s -> assertThat(s.suggestionId()).as("id of line %d's suggestion", line).isEqualTo(derived));
        }
    }

    /** The session's outputs as a consumer that de-duplicates by event id shows them, in partition order. */
    private static List<Envelope> shown(KafkaTestClient.TopicReader suggestions, String session) {
        var seen = new LinkedHashMap<UUID, Envelope>();
        suggestions.all().stream().filter(r -> session.equals(r.key()) && r.envelope() != null)
                .forEach(r -> seen.putIfAbsent(r.envelope().eventId(), r.envelope()));
        return List.copyOf(seen.values());
    }

    /** What the rep sees of an output, without the ids (which differ between the sessions). */
    private static String describe(Envelope event) {
        return switch (event.type()) {
            case EventTypes.SUGGESTION -> {
                var s = event.payloadAs(Suggestion.class);
                yield "suggestion line " + line(s.utteranceId()) + " " + s.kind() + "/" + s.category() + " \"" + s.title()
                        + "\" " + s.confidence() + " " + s.source();
            }
            case EventTypes.BATTLE_CARD -> {
                var card = event.payloadAs(SuggestionCard.class);
                yield "card line " + line(card.utteranceId()) + " " + card.card().id();
            }
            case EventTypes.STAGE_CHANGED -> {
                var stage = event.payloadAs(StageChanged.class);
                yield "stage line " + line(stage.utteranceId()) + " " + stage.previousStage() + " -> " + stage.stage();
            }
            case EventTypes.COMPLIANCE_CHECKLIST -> {
                var checklist = event.payloadAs(ComplianceChecklist.class);
                yield "checklist " + checklist.items().stream().map(i -> i.ruleId() + ":" + i.status()).toList()
                        + (checklist.closed() ? " closed" : "");
            }
            default -> event.type();
        };
    }

    private static String line(String utteranceId) {
        return utteranceId.substring(utteranceId.lastIndexOf('_') + 1);
    }

    private static void start(String session, String tenant, String mode) {
        client.send(Topics.SESSIONS, Envelope.of(EventTypes.SESSION_STARTED, tenant, session, 1, "system-test",
                new SessionStarted(mode, session, "rep_failover", List.of(Track.AGENT, Track.CUSTOMER), "en-US",
                        "audio/pcm", Map.of())));
    }

    private static Envelope say(String session, int index) {
        var line = SCRIPT.get(index);
        var event = Envelope.of(EventTypes.TRANSCRIPT_FINAL, TENANT, session, index + 2, "system-test",
                new Transcript("item_" + session + "_" + index, line.track(), line.text(), true, line.startMs(),
                        line.endMs(), 1.0, "text", Instant.now()));
        client.send(Topics.TRANSCRIPTS, event);
        return event;
    }

    /**
     * Waits until the line has been coached: a control line of a side session on the same partition is coached after it
     * (one partition is processed in order); then, if the line asked for a battle card, until its card followed.
     */
    private static void awaitCoached(KafkaTestClient.TopicReader suggestions, KafkaTestClient.TopicReader calls,
                                     String session, Envelope event) {
        String utterance = event.payloadAs(Transcript.class).utteranceId();
        String control = sessionOn(partitionOf(session), "sess_failover_control_");
        client.send(Topics.TRANSCRIPTS, Envelope.of(EventTypes.TRANSCRIPT_FINAL, TENANT, control, 1, "system-test",
                new Transcript("item_control_" + UUID.randomUUID(), Track.CUSTOMER, "How soon could we get started?",
                        true, 0, 1_000, 1.0, "text", Instant.now())));
        suggestions.awaitOne(r -> control.equals(r.key()) && r.envelope() != null
                && EventTypes.SUGGESTION.equals(r.envelope().type()), BOUND);
        // the line's tool call, if any, is on tool.calls by now; a marker after it tells when this reader has it too
        String marker = "marker-" + UUID.randomUUID();
        client.sendRaw(Topics.TOOL_CALLS, session, marker);
        calls.awaitOne(r -> marker.equals(r.valueAsString()), BOUND);
        UUID callEvent = UUID.nameUUIDFromBytes(("tool-call-event:" + event.eventId()).getBytes(StandardCharsets.UTF_8));
        if (calls.all().stream().anyMatch(r -> r.envelope() != null && callEvent.equals(r.envelope().eventId()))) {
            suggestions.awaitOne(r -> session.equals(r.key()) && r.envelope() != null
                    && EventTypes.BATTLE_CARD.equals(r.envelope().type())
                    && utterance.equals(r.envelope().payloadAs(SuggestionCard.class).utteranceId()), BOUND);
        }
    }

    /** Answers every battle-card call at once, like tool-service; other calls on request. */
    private static final class ToolService {
        private final KafkaTestClient.TopicReader calls;
        private final Set<String> answered = ConcurrentHashMap.newKeySet();
        private final Thread thread;

        ToolService(KafkaTestClient.TopicReader calls) {
            this.calls = calls;
            this.thread = Thread.ofPlatform().daemon().name("test-tool-service").start(this::serve);
        }

        private void serve() {
            while (!Thread.currentThread().isInterrupted()) {
                for (var record : calls.all()) {
                    var call = record.envelope();
                    if (call != null && EventTypes.TOOL_CALL.equals(call.type()) && "get_battle_card".equals(call.payloadAs(ToolCall.class).tool())) {
                        var card = new BattleCard("card_" + call.payloadAs(ToolCall.class).arguments().path("category")
                                .asText(), "x", null, "Card", "How we answer it", List.of("one"));
                        answer(call, EventJson.tree(card).toString());
                    }
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void answer(Envelope call, String resultJson) {
            var request = call.payloadAs(ToolCall.class);
            if (!answered.add(request.callId())) {
                return;
            }
            try {
                var result = new ToolResult(request.callId(), request.tool(), ToolResult.OK,
                        EventJson.MAPPER.readTree(resultJson), null, 2);
                client.send(Topics.TOOL_RESULTS, Envelope.of(EventTypes.TOOL_RESULT, call.tenantId(), call.sessionId(), 1,
                        "tool-service", result));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** An OpenAI-compatible chat-completions endpoint streaming SSE, and tool-service's tool list, on one port. */
    private static final class LlmStub implements AutoCloseable {
        private final HttpServer server;
        static final String SUMMARY = "The customer asked for a quote by Friday.";
        private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
        private final List<JsonNode> summaries = new CopyOnWriteArrayList<>();
        /** Summary requests get no answer until {@link #answerSummaries()}. */
        private final CountDownLatch summariesAnswered = new CountDownLatch(1);
        private volatile java.util.function.Function<JsonNode, List<String>> script = r -> text("Hello.");

        LlmStub() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/v1/chat/completions", this::chat);
            server.createContext("/internal/v1/tenants/", exchange -> respond(exchange, "application/json", """
                    {"tools": [{"type": "function", "function": {"name": "get_available_slots",
                      "description": "Free service slots on a date", "parameters": {"type": "object",
                      "properties": {"date": {"type": "string"}}, "required": ["date"]}}}]}"""));
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        void script(java.util.function.Function<JsonNode, List<String>> answer) {
            this.script = answer;
        }

        List<JsonNode> requests() {
            return List.copyOf(requests);
        }

        long summaryRequests(String containing) {
            return summaries.stream().filter(r -> r.path("messages").toString().contains(containing)).count();
        }

        void answerSummaries() {
            summariesAnswered.countDown();
        }

        private void chat(HttpExchange exchange) throws IOException {
            var request = EventJson.MAPPER.readTree(exchange.getRequestBody());
            if (request.path("messages").toString().contains("summarise the call")) {
                summaries.add(request);
                try {
                    if (!summariesAnswered.await(2, TimeUnit.MINUTES)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    return;
                }
                var answer = EventJson.MAPPER.createObjectNode().put("summary", SUMMARY);
                answer.putArray("nextSteps").add("Send the quote.");
                respond(exchange, "text/event-stream", String.join("", text(answer.toString()).stream()
                        .map(payload -> "data: " + payload + "\n\n").toList()));
                return;
            }
            requests.add(request);
            var body = new StringBuilder();
            for (String payload : script.apply(request)) {
                body.append("data: ").append(payload).append("\n\n");
            }
            respond(exchange, "text/event-stream", body.toString());
        }

        static List<String> text(String text) {
            return List.of(chunk(delta -> delta.put("content", text), null), chunk(delta -> { }, "stop"), "[DONE]");
        }

        static List<String> toolCall(String id, String name, String arguments) {
            return List.of(chunk(delta -> {
                var call = delta.putArray("tool_calls").addObject().put("index", 0).put("id", id).put("type", "function");
                call.putObject("function").put("name", name).put("arguments", arguments);
            }, null), chunk(delta -> { }, "tool_calls"), "[DONE]");
        }

        private static String chunk(java.util.function.Consumer<ObjectNode> delta, String finishReason) {
            var chunk = EventJson.MAPPER.createObjectNode().put("id", "chatcmpl-failover")
                    .put("object", "chat.completion.chunk").put("model", "stub");
            var choice = chunk.putArray("choices").addObject().put("index", 0);
            delta.accept(choice.putObject("delta"));
            if (finishReason == null) {
                choice.putNull("finish_reason");
            } else {
                choice.put("finish_reason", finishReason);
            }
            return chunk.toString();
        }

        private static void respond(HttpExchange exchange, String type, String body) throws IOException {
            try (exchange) {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", type);
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static Instant kill(String name) {
        var process = instances.get(name);
        var handle = ProcessHandle.of(process.pid()).orElseThrow();
        assertThat(handle.info().command()).as("pid %d is the JVM", process.pid())
                .hasValueSatisfying(c -> assertThat(c).endsWith("java"));
        handle.destroyForcibly(); // SIGKILL: no shutdown hook, no commit, no leave-group
        await().atMost(Duration.ofSeconds(10)).until(() -> !handle.isAlive());
        return Instant.now();
    }

    private static int partitionOf(String session) {
        return Utils.toPositive(Utils.murmur2(session.getBytes(StandardCharsets.UTF_8))) % partitionCount();
    }

    private static String sessionOn(int partition, String prefix) {
        while (true) {
            String candidate = prefix + UUID.randomUUID();
            if (partitionOf(candidate) == partition) {
                return candidate;
            }
        }
    }

    /** Partition of the inputs -> the instance whose stream thread owns it (active task). */
    private static Map<Integer, String> owners() {
        try (var admin = admin()) {
            var group = admin.describeConsumerGroups(List.of(GROUP)).all().get(10, TimeUnit.SECONDS).get(GROUP);
            var owners = new HashMap<Integer, String>();
            if (group.groupState() != GroupState.STABLE) {
                return owners;
            }
            for (MemberDescription member : group.members()) {
                instanceOf(member).ifPresent(name -> member.assignment().topicPartitions().stream()
                        .filter(tp -> tp.topic().equals(Topics.TRANSCRIPTS))
                        .map(TopicPartition::partition)
                        .forEach(p -> owners.put(p, name)));
            }
            return owners;
        } catch (Exception e) {
            return Map.of();
        }
    }

    private static Optional<String> instanceOf(MemberDescription member) {
        return instances.keySet().stream().filter(name -> member.clientId().startsWith(name + "-")).findFirst();
    }

    private static int partitionCount() {
        try (var admin = admin()) {
            return admin.describeTopics(Set.of(Topics.TRANSCRIPTS)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(Topics.TRANSCRIPTS).partitions().size();
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe " + Topics.TRANSCRIPTS, e);
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private static boolean ready(String name) {
        try {
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(name) + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
