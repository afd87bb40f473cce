package io.voicecoach.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicecoach.devstack.Database;
import io.voicecoach.devstack.EmbeddedKafka;
import io.voicecoach.devstack.EmbeddedPostgresServer;
import io.voicecoach.devstack.Instance;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.devstack.LocalLlm;
import io.voicecoach.devstack.SampleCall;
import io.voicecoach.devstack.Service;
import io.voicecoach.devstack.Suite;
import io.voicecoach.devstack.SuiteConfig;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.ToolResult;
import io.voicecoach.events.Topics;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 19's hostile tenant: while tenant A (the demo tenant) plays typed sales calls and is coached, tenant B at the
 * same time stores a playbook with backtracking patterns and sends transcripts that would make a backtracking engine
 * run for ever, holds unauthenticated Twilio sockets and sends huge frames on them, streams audio at 100 x real time
 * with no turn detection, registers a webhook tool that trickles its answer and has its voice agent call it from many
 * sessions at once, and floods {@code response.create} and {@code conversation.item.create}.
 * <p>
 * A's latency (turn sent -> its suggestion received) is measured before the attack (baseline) and while it runs. The
 * bound for the attack's p95 is {@link #bound}: five times the baseline p95, at least the baseline p95 + 10 s. It
 * scales with how slow this machine is right now and leaves room for the attack's own CPU cost (the attacker, its
 * 100 x audio and the services run on the same 2 cores: at load ~20 A's p95 went from ~0.6 s to 4-10 s, every hop
 * slower, none stuck), so a loaded machine does not fail it; a stalled stage (a partition stuck in a regex, a crashed
 * service, a worker pool held by webhooks) leaves A's turns unanswered for the whole {@link #SUGGESTION_BOUND} (20 s,
 * counted as such in the p95), above it, and every one of A's turns must be answered anyway. B must get the
 * documented refusals, and every service must still be the same process, live and ready, afterwards.
 * <p>
 * Why the bound is not A's normal p95 (baseline plus a margin): on this machine it does not hold, and what still costs
 * A is not one tenant's unfair share of a service. Per attack ({@code -Dhostile.attacks}), at load 14-26, A's p95 went
 * 501 -> 2365 ms (playbook and trigger items), 649 -> 2151 ms (agents and the slow webhook), both in coaching, and 522
 * -> 1001 ms (audio flood) in the gateway; the Twilio sockets cost nothing. After the gateway's audio budget and
 * coaching's fair share of its stream thread, all attacks together still took it from 272-824 ms to 1.7-4.1 s (seven
 * runs, 2.3 to 7.7 times the baseline, 1.0 to 3.3 s above it): B's transcripts never used up their share (coaching's
 * unclassified counter stayed at zero), and thread dumps of coaching's stream thread during the attack found it waiting
 * for the broker in a third to a half of the samples (the exactly-once commit's producer flush and {@code
 * sendOffsetsToTransaction}, every 100 ms), the one broker that every tenant's records go through and that runs in this
 * JVM; the services' CPU per second of wall clock was about the same in the baseline and the attack (the machine was
 * saturated by other builds either way), a third to a half of it JIT compilation of the code B's attacks reach first.
 * The figures are printed ({@link ProcessCpu}) so a run shows where the time went.
 */
class HostileTenantTest {

    private static final String A_KEY = SuiteConfig.DEFAULT_DEMO_API_KEY;
    private static final String B_TENANT = "hostile";
    private static final String ADMIN_TOKEN = "vc_admin_hostile_test_0123456789";
    private static final Duration SUGGESTION_BOUND = Duration.ofSeconds(20);
    private static final int BASELINE_ROUNDS = 3;
    private static final int AGENT_SESSIONS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedKafka kafka;
    private static EmbeddedPostgresServer postgres;
    private static LocalLlm llm;
    private static Suite suite;
    private static final HostileAttacks.SlowToolScript SCRIPT = new HostileAttacks.SlowToolScript();

    @RegisterExtension
    static final SystemTests.Failures FAILURES = new SystemTests.Failures();

    /**
     * One of A's coached turns: when it was sent (nanos), how long its suggestion took (-1: none in the bound), and
     * where that time went: ms from sending to the gateway's {@code received_at}, to the transcript, to coaching's
     * suggestion (the frame's {@code timings}, wall clock of the same machine).
     */
    record Turn(long sentAtNanos, long latencyMs, String hops) {
    }

    @BeforeAll
    static void startTheSuite() {
        try {
            var root = SystemTests.packagedServices();
            var logs = Path.of("target/hostile-tenant-logs").toAbsolutePath();
            kafka = EmbeddedKafka.startEphemeral();
            postgres = EmbeddedPostgresServer.startEphemeral();
            llm = LocalLlm.start(0, SCRIPT, null);
            var config = SuiteConfig.withFreePorts(root, logs, kafka.bootstrapServers(), Database.of(postgres), A_KEY)
                    .withLocalLlm(B_TENANT, llm.baseUrl())
                    .withProperty(Service.GATEWAY, "voicecoach.admin.token", ADMIN_TOKEN)
                    // the trickling endpoint runs in this JVM, on loopback
                    .withProperty(Service.TOOL, "voicecoach.tools.webhook.allow-loopback-http", "true")
                    // bounds waits on a busy 2-core machine, as in the other system tests
                    .withProperty(Service.COACHING, "voicecoach.coaching.battle-card-wait", "3s")
                    .withProperty(Service.COACHING, "voicecoach.agent.tools-timeout", "10s");
            System.out.printf("hostile: starting the services (logs in %s)%n", logs);
            suite = Suite.start(config);
            suite.awaitReady(Duration.ofMinutes(4), line -> System.out.println("hostile:   " + line));
            System.out.printf("hostile: consumer groups settled: %s%n", suite.awaitConsumerGroups(Duration.ofSeconds(90)));
        } catch (RuntimeException | Error e) {
            FAILURES.failed();
            throw e;
        }
    }

    @AfterAll
    static void stopEverything() {
        SystemTests.stopAll("hostile", FAILURES.any(), suite, llm, kafka, postgres);
    }

    @Test
    void aHostileTenantNeitherStallsAnotherTenantsCoachingNorCrashesAService() throws Exception {
        var pids = new HashMap<Instance, Long>();
        suite.instances().forEach(i -> pids.put(i, suite.process(i).pid()));
        String bKey = createTenant(B_TENANT);
        var coachingUrl = suite.config().httpUrl(Service.COACHING);
        var realtime = suite.config().realtimeUrl();

        for (int attempt = 1; attempt <= 3 && !warm(playRound()); attempt++) {
            System.out.println("hostile: warm-up round " + attempt + " was slow");
        }
        var baseline = new ArrayList<Turn>();
        var cpuBeforeBaseline = cpu(pids);
        var baselineFrom = java.time.Instant.now();
        long baselineStart = System.nanoTime();
        for (int round = 0; round < BASELINE_ROUNDS; round++) {
            baseline.addAll(playRound());
        }
        var cpuAfterBaseline = cpu(pids);
        double baselineSeconds = (System.nanoTime() - baselineStart) / 1e9;

        try (var webhook = new HostileAttacks.TricklingWebhook();
             var kafkaClient = new KafkaTestClient(kafka.bootstrapServers());
             var toolResults = kafkaClient.read(Topics.TOOL_RESULTS);
             var attacks = Executors.newVirtualThreadPerTaskExecutor()) {
            var registered = HostileAttacks.registerSlowTool(suite.config().httpUrl(Service.TOOL), bKey, webhook.url());
            assertThat(registered.statusCode()).as("webhook tool registered: %s", registered.body()).isEqualTo(201);

            var peakRss = new java.util.concurrent.ConcurrentHashMap<String, Long>();
            var sampling = attacks.submit(() -> sampleRss(pids, peakRss));
            var cpuBeforeAttack = cpu(pids);
            System.out.printf("hostile: baseline from %s, attack from %s%n", baselineFrom, java.time.Instant.now());
            long attackStart = System.nanoTime();
            var playbook = attack(attacks, "playbook", () -> HostileAttacks.uploadBacktrackingPlaybooks(coachingUrl, bKey));
            var triggers = attack(attacks, "playbook", () -> triggerTheRegex(realtime, bKey, playbook));
            var twilio = attack(attacks, "twilio", () -> HostileAttacks.twilioSockets(
                    suite.config().port(Service.GATEWAY), 2, 10, 5, 6, 2 << 20));
            var audio = attack(attacks, "audio", () -> HostileAttacks.audioFlood(realtime, bKey, 5));
            var agents = attack(attacks, "agents", () -> slowToolRounds(realtime, bKey));
            var all = List.<Future<?>>of(playbook, triggers, twilio, audio, agents);

            var underAttack = new ArrayList<Turn>();
            do {
                underAttack.addAll(playRound());
            } while (all.stream().anyMatch(f -> !f.isDone()) || underAttack.size() < 2 * SampleCallTurns.COACHED);
            long attackEnd = System.nanoTime();
            var cpuAfterAttack = cpu(pids);
            sampling.cancel(true);
            for (var attack : all) {
                attack.get(2, TimeUnit.MINUTES);
            }
            var measured = underAttack.stream().filter(t -> t.sentAtNanos() < attackEnd).toList();
            if (!ATTACKS.equals(ALL_ATTACKS)) {
                measureOnly(baseline, measured, attackStart, List.of(cpuBeforeBaseline, cpuAfterBaseline,
                        cpuBeforeAttack, cpuAfterAttack), baselineSeconds, (attackEnd - attackStart) / 1e9);
                return;
            }

            var agentClients = agents.get();
            var itemFlood = triggers.get();
            var audioFlood = audio.get();
            long hostileResults = awaitHostileToolResults(toolResults);
            var toolCodes = hostileToolCodes(toolResults);

            // ---------------------------------------------------------- the figures
            var baseStats = Stats.of(baseline);
            var attackStats = Stats.of(measured);
            long bound = bound(baseStats.p95());
            var refusals = new TreeMap<String, Long>();
            playbookAnswers(playbook.get()).forEach((k, v) -> refusals.merge(k, v, Long::sum));
            twilio.get().forEach((code, n) -> refusals.merge("twilio close " + code, (long) n, Long::sum));
            count(refusals, "audio session error ", HostileAttacks.codesOf(audioFlood.client().frames("error")));
            count(refusals, "audio transcription failed ", HostileAttacks.codesOf(audioFlood.client()
                    .frames("conversation.item.input_audio_transcription.failed")));
            count(refusals, "item flood error ", HostileAttacks.codesOf(itemFlood.frames("error")));
            for (var agent : agentClients) {
                count(refusals, "agent session error ", HostileAttacks.codesOf(agent.frames("error")));
            }
            toolCodes.forEach((code, n) -> refusals.merge("tool result " + code, n, Long::sum));
            System.out.printf("hostile: A baseline    %s%n", baseStats);
            System.out.printf("hostile: A under attack %s (attack ran %.1f s; bound for p95 %d ms)%n", attackStats,
                    (attackEnd - attackStart) / 1e9, bound);
            measured.stream().filter(t -> t.latencyMs() < 0 || t.latencyMs() > baseStats.p95()).forEach(t ->
                    System.out.printf("hostile:   A turn at attack +%.1f s took %d ms (%s)%n",
                            (t.sentAtNanos() - attackStart) / 1e9, t.latencyMs(), t.hops()));
            System.out.printf("hostile: peak RSS during the attack, MB: %s%n", new TreeMap<>(peakRss));
            printCpu("baseline", cpuBeforeBaseline, cpuAfterBaseline, baselineSeconds);
            printCpu("attack", cpuBeforeAttack, cpuAfterAttack, (attackEnd - attackStart) / 1e9);
            System.out.printf("hostile: B audio: %.0f s of audio in %.1f s (%.0f x real time)%n",
                    audioFlood.audioSeconds(), audioFlood.wallSeconds(), audioFlood.speed());
            System.out.printf("hostile: B webhook: %d calls reached the trickling endpoint, at most %d at once; "
                    + "the model asked for %d calls; %d tool results for B%n", webhook.calls(), webhook.mostOpen(),
                    SCRIPT.toolCalls(), hostileResults);
            System.out.printf("hostile: B's REST calls answered 503 (key not verified in time) and asked again: %d%n",
                    HostileAttacks.UNAVAILABLE.get());
            refusals.forEach((what, n) -> System.out.printf("hostile: B refusal %-50s %d%n", what, n));
            System.out.printf("hostile: coaching's transcripts beyond a tenant's share of the stream thread: %s%n",
                    unclassified(coachingUrl));

            // ---------------------------------------------------------- A was not stalled
            assertThat(baseline.stream().filter(t -> t.latencyMs() < 0)).as("A's baseline turns unanswered").isEmpty();
            assertThat(measured.stream().filter(t -> t.latencyMs() < 0))
                    .as("A's turns during the attack left without a suggestion within %s", SUGGESTION_BOUND).isEmpty();
            assertThat(measured).as("A's turns during the attack").hasSizeGreaterThanOrEqualTo(SampleCallTurns.COACHED);
            assertThat(attackStats.p95()).as("A's p95 during the attack (ms), bound from baseline p95 %d ms",
                    baseStats.p95()).isLessThanOrEqualTo(bound);

            // ---------------------------------------------------------- B was refused as documented
            var answers = playbook.get();
            assertThat(answers.refusedStatus()).as("a backreference in the playbook").isEqualTo(400);
            assertThat(answers.refusedType()).startsWith("application/problem+json");
            assertThat(answers.refusedBody().path("errors").findValuesAsText("path"))
                    .as("the refusal names the pattern's JSON path: %s", answers.refusedBody())
                    .anyMatch(path -> path.startsWith("$.objections[0].patterns["));
            assertThat(answers.acceptedStatus()).as("(a+)+$ and (.*a){25}c run in RE2: stored %s", answers.acceptedBody())
                    .isEqualTo(201);
            assertThat(itemFlood.frames("voicecoach.coaching.suggestion")).as("B's trigger transcripts coached in "
                    + "linear time (a suggestion for the first one)").isNotEmpty();
            assertThat(twilio.get()).as("unauthenticated Twilio sockets by close code")
                    .containsKeys(1009, 4008, 4029).doesNotContainKeys(1011, -1, -2, 0);
            assertThat(HostileAttacks.codesOf(audioFlood.client().frames("error")))
                    .as("B's 100 x real-time audio, refused by the gateway before it is decoded")
                    .contains("audio_rate_exceeded");
            assertThat(HostileAttacks.codesOf(itemFlood.frames("error"))).as("B's item flood")
                    .contains("rate_limit_exceeded");
            assertThat(agentClients.stream().flatMap(c -> HostileAttacks.codesOf(c.frames("error")).stream()))
                    .as("B's response.create flood").contains("rate_limit_exceeded");
            assertThat(toolCodes).as("B's slow webhook calls by outcome").containsKeys("tool_busy", "webhook_failed");
            assertThat(webhook.mostOpen()).as("B's webhook calls running at once (its fair share)")
                    .isLessThanOrEqualTo(4);

            // ---------------------------------------------------------- nothing crashed or restarted
            for (var instance : suite.instances()) {
                var process = suite.process(instance);
                assertThat(process.pid()).as("%s is the process it was", instance.name()).isEqualTo(pids.get(instance));
                assertThat(process.alive()).as("%s is alive", instance.name()).isTrue();
                await(instance.name() + " ready").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .until(() -> suite.ready(instance));
            }
            agentClients.forEach(RealtimeAudioClient::close);
            itemFlood.close();
            audioFlood.client().close();
        }
    }

    // ------------------------------------------------------------------ tenant A

    /** The coached customer turns of the sample call. */
    static final class SampleCallTurns {
        static final List<SampleCall.Turn> ALL = SampleCall.turns();
        static final int COACHED = (int) ALL.stream().filter(t -> t.expect() != null).count();
    }

    /**
     * One call of tenant A: every turn of the sample call typed in a fresh session, each coached turn waited for
     * (its suggestion, by item id) before the next is sent.
     */
    private static List<Turn> playRound() {
        var turns = new ArrayList<Turn>();
        String call = "call_a_" + UUID.randomUUID().toString().substring(0, 8);
        try (var client = RealtimeAudioClient.connect(suite.config().realtimeUrl(), A_KEY)) {
            client.awaitSessionId();
            client.configureServerVad(call, "rep_a");
            for (var turn : SampleCallTurns.ALL) {
                String item = "item_" + call + "_" + turn.turn();
                long sent = System.nanoTime();
                client.say(item, turn.track(), turn.text());
                if (turn.expect() == null) {
                    continue;
                }
                long sentWall = System.currentTimeMillis() - (System.nanoTime() - sent) / 1_000_000;
                try {
                    var frame = client.awaitFrame(f -> f.type().equals("voicecoach.coaching.suggestion")
                            && item.equals(f.json().path("suggestion").path("item_id").asText()), SUGGESTION_BOUND);
                    var timings = frame.json().path("suggestion").path("timings");
                    var hops = new StringBuilder();
                    for (String hop : List.of("received_at", "transcript_at", "suggested_at")) {
                        String at = timings.path(hop).asText("");
                        hops.append(hop).append(" +").append(at.isEmpty() ? "?"
                                : String.valueOf(java.time.Instant.parse(at).toEpochMilli() - sentWall)).append(' ');
                    }
                    turns.add(new Turn(sent, (frame.receivedAtNanos() - sent) / 1_000_000, hops.toString().strip()));
                } catch (ConditionTimeoutException e) {
                    turns.add(new Turn(sent, -1, "no suggestion"));
                }
            }
        }
        return turns;
    }

    private static boolean warm(List<Turn> round) {
        return round.stream().allMatch(t -> t.latencyMs() >= 0 && t.latencyMs() < 2_000);
    }

    /** The bound for A's p95 under attack: 5 x the baseline p95, at least the baseline p95 + 10 s. */
    static long bound(long baselineP95) {
        return Math.max(5 * baselineP95, baselineP95 + 10_000);
    }

    /** Nearest-rank p50 and p95 of answered turns; unanswered turns count as the whole bound. */
    record Stats(long p50, long p95, long max, int count, long unanswered) {
        static Stats of(List<Turn> turns) {
            var sorted = turns.stream().mapToLong(t -> t.latencyMs() < 0 ? SUGGESTION_BOUND.toMillis() : t.latencyMs())
                    .sorted().toArray();
            if (sorted.length == 0) {
                return new Stats(-1, -1, -1, 0, 0);
            }
            return new Stats(rank(sorted, 0.50), rank(sorted, 0.95), sorted[sorted.length - 1], sorted.length,
                    turns.stream().filter(t -> t.latencyMs() < 0).count());
        }

        private static long rank(long[] sorted, double p) {
            return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
        }

        @Override
        public String toString() {
            return String.format("p50 %d ms, p95 %d ms, max %d ms over %d turns (%d unanswered)", p50, p95, max, count,
                    unanswered);
        }
    }

    // ------------------------------------------------------------------ tenant B

    /**
     * Once the playbook with the backtracking pattern is stored: a coach session floods 400 items whose text makes
     * {@code (.*a){25}c} backtrack (beyond the session's item budget: refused), and waits for the first one's suggestion.
     */
    private static RealtimeAudioClient triggerTheRegex(String realtime, String bKey,
                                                       Future<HostileAttacks.PlaybookAnswers> playbook) throws Exception {
        playbook.get(2, TimeUnit.MINUTES);
        var client = RealtimeAudioClient.connect(realtime, bKey);
        client.awaitSessionId();
        client.configureServerVad("call_hostile_regex", "rep_hostile");
        HostileAttacks.flood(client, 400, HostileAttacks::triggerItem);
        try {
            client.awaitFrame(f -> f.type().equals("voicecoach.coaching.suggestion"), SUGGESTION_BOUND);
        } catch (ConditionTimeoutException e) {
            System.out.println("hostile: no suggestion for B's trigger transcripts within " + SUGGESTION_BOUND);
        }
        try {
            // the gateway answers the 400 frames in order, on a loaded machine after the first one's suggestion came
            client.awaitFrame(f -> f.type().equals("error") && f.json().path("error").path("event_id").asText()
                    .equals("evt_flood_item_399"), SUGGESTION_BOUND);
        } catch (ConditionTimeoutException e) {
            System.out.println("hostile: B's last flood item not answered within " + SUGGESTION_BOUND);
        }
        return client;
    }

    /**
     * {@value #AGENT_SESSIONS} voice-agent sessions whose caller asks about an order at once (the model calls the
     * trickling webhook in each), then 150 {@code response.create} as fast as the socket takes them on the first.
     */
    private static List<RealtimeAudioClient> slowToolRounds(String realtime, String bKey) {
        var clients = new CopyOnWriteArrayList<RealtimeAudioClient>();
        for (int i = 0; i < AGENT_SESSIONS; i++) {
            var client = RealtimeAudioClient.connect(realtime, bKey);
            client.awaitSessionId();
            client.configureAgent("call_hostile_agent_" + i);
            clients.add(client);
        }
        for (int i = 0; i < AGENT_SESSIONS; i++) {
            clients.get(i).say("item_order_" + i, "customer", "Where is my order ORD-1?");
        }
        HostileAttacks.flood(clients.getFirst(), 150, HostileAttacks::responseCreate);
        for (var client : clients) {
            try {
                client.awaitFrame(f -> f.type().equals("response.done"), Duration.ofSeconds(60));
            } catch (ConditionTimeoutException e) {
                System.out.println("hostile: an agent session of B got no response.done within 60 s");
            }
        }
        return List.copyOf(clients);
    }

    /** Waits (bounded) until tool-service answered at least one call per agent session; returns how many it did. */
    private static long awaitHostileToolResults(KafkaTestClient.TopicReader results) {
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> hostileResults(results).size() >= AGENT_SESSIONS);
        } catch (ConditionTimeoutException e) {
            System.out.println("hostile: fewer tool results for B than agent sessions");
        }
        return hostileResults(results).size();
    }

    private static List<ToolResult> hostileResults(KafkaTestClient.TopicReader results) {
        return results.all().stream().map(KafkaTestClient.Received::envelope)
                .filter(e -> e != null && B_TENANT.equals(e.tenantId()) && EventTypes.TOOL_RESULT.equals(e.type()))
                .map(e -> e.payloadAs(ToolResult.class)).toList();
    }

    /** B's tool results by error code ({@code ok} for results), webhook time-outs as {@code webhook_failed}. */
    private static Map<String, Long> hostileToolCodes(KafkaTestClient.TopicReader results) {
        var codes = new TreeMap<String, Long>();
        for (var result : hostileResults(results)) {
            String code = result.ok() ? "ok" : result.error().code();
            if ("webhook_failed".equals(code)) {
                codes.merge("webhook_failed/" + result.result().path("reason").asText("?"), 1L, Long::sum);
            }
            codes.merge(code, 1L, Long::sum);
        }
        return codes;
    }

    private static Map<String, Long> playbookAnswers(HostileAttacks.PlaybookAnswers answers) {
        return Map.of("playbook with a backreference: HTTP " + answers.refusedStatus(), 1L,
                "playbook with (a+)+$ and (.*a){25}c: HTTP " + answers.acceptedStatus(), 1L);
    }

    /** Until interrupted: the largest resident set (MB, from /proc) of each service process, every 500 ms. */
    private static Void sampleRss(Map<Instance, Long> pids, Map<String, Long> peak) {
        while (!Thread.currentThread().isInterrupted()) {
            pids.forEach((instance, pid) -> {
                try {
                    java.nio.file.Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                            .filter(l -> l.startsWith("VmRSS:")).findFirst()
                            .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024)
                            .ifPresent(mb -> peak.merge(instance.name(), mb, Math::max));
                } catch (java.io.IOException | RuntimeException gone) {
                    peak.putIfAbsent(instance.name() + " (gone)", 0L);
                }
            });
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * B's attacks that run: all of them, or those named in {@code -Dhostile.attacks} (comma-separated, of
     * {@link #ALL_ATTACKS}) to measure what each costs A on its own; B's refusals are checked only when all run.
     */
    private static final Set<String> ALL_ATTACKS = Set.of("playbook", "twilio", "audio", "agents");
    private static final Set<String> ATTACKS = Set.of(System.getProperty("hostile.attacks",
            String.join(",", ALL_ATTACKS)).split(","));

    private static <T> Future<T> attack(ExecutorService pool, String name, Callable<T> attack) {
        return ATTACKS.contains(name) ? pool.submit(attack) : CompletableFuture.completedFuture(null);
    }

    /** With only some of B's attacks run: A's figures and where the CPU went, A's turns all answered; nothing else. */
    private static void measureOnly(List<Turn> baseline, List<Turn> measured, long attackStart,
                                    List<Map<String, ProcessCpu>> cpu, double baselineSeconds, double attackSeconds) {
        var baseStats = Stats.of(baseline);
        System.out.printf("hostile: only %s ran%nhostile: A baseline    %s%nhostile: A under attack %s%n",
                new TreeSet<>(ATTACKS), baseStats, Stats.of(measured));
        measured.stream().filter(t -> t.latencyMs() < 0 || t.latencyMs() > baseStats.p95()).forEach(t ->
                System.out.printf("hostile:   A turn at attack +%.1f s took %d ms (%s)%n",
                        (t.sentAtNanos() - attackStart) / 1e9, t.latencyMs(), t.hops()));
        printCpu("baseline", cpu.get(0), cpu.get(1), baselineSeconds);
        printCpu("attack", cpu.get(2), cpu.get(3), attackSeconds);
        assertThat(measured.stream().filter(t -> t.latencyMs() < 0)).as("A's turns left unanswered").isEmpty();
    }

    /** Coaching's {@code voicecoach.coaching.transcripts.unclassified} counter, as its metrics endpoint shows it. */
    private static String unclassified(String coachingUrl) {
        try {
            var metrics = HostileAttacks.send(HttpRequest.newBuilder(URI.create(coachingUrl + "/q/metrics")).GET(), "");
            return metrics.body().lines().filter(l -> l.startsWith("voicecoach_coaching_transcripts_unclassified"))
                    .findFirst().orElse("none");
        } catch (Exception e) {
            return "? (" + e + ")";
        }
    }

    /** CPU time of every service process and of this JVM (tenant A's client and the attacker), by name. */
    private static Map<String, ProcessCpu> cpu(Map<Instance, Long> pids) {
        var samples = new TreeMap<String, ProcessCpu>();
        pids.forEach((instance, pid) -> samples.put(instance.name(), ProcessCpu.sample(pid)));
        samples.put("test JVM (A and B)", ProcessCpu.sample(ProcessHandle.current().pid()));
        return samples;
    }

    private static void printCpu(String phase, Map<String, ProcessCpu> before, Map<String, ProcessCpu> after,
                                 double wallSeconds) {
        System.out.printf("hostile: CPU during the %s (%.1f s wall, load average %s)%n", phase, wallSeconds,
                loadAverage());
        after.forEach((name, sample) -> System.out.printf("hostile:   %-22s %s%n", name,
                sample.since(before.get(name), wallSeconds, 6)));
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static void count(Map<String, Long> counts, String prefix, List<String> codes) {
        codes.forEach(code -> counts.merge(prefix + code, 1L, Long::sum));
    }

    // ------------------------------------------------------------------ set-up

    /** Tenant B and an API key for it, through the gateway's admin API; returns the key. */
    private static String createTenant(String id) throws Exception {
        String admin = suite.config().httpUrl(Service.GATEWAY) + "/admin/v1/tenants";
        var created = HostileAttacks.send(HttpRequest.newBuilder(URI.create(admin))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + id + "\",\"name\":\"Hostile tenant\"}")),
                ADMIN_TOKEN);
        assertThat(created.statusCode()).as("tenant created: %s", created.body()).isEqualTo(201);
        var key = HostileAttacks.send(HttpRequest.newBuilder(URI.create(admin + "/" + id + "/api-keys"))
                .POST(HttpRequest.BodyPublishers.noBody()), ADMIN_TOKEN);
        assertThat(key.statusCode()).as("API key created: %s", key.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(key.body());
        if (!body.hasNonNull("key")) {
            fail("no key in " + key.body());
        }
        return body.path("key").asText();
    }
}
