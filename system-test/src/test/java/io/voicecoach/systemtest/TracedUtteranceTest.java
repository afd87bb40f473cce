package io.voicecoach.systemtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.voicecoach.devstack.Database;
import io.voicecoach.devstack.EmbeddedKafka;
import io.voicecoach.devstack.EmbeddedPostgresServer;
import io.voicecoach.devstack.Service;
import io.voicecoach.devstack.Suite;
import io.voicecoach.devstack.SuiteConfig;
import io.voicecoach.systemtest.OtlpTraceCollector.CollectedSpan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One utterance is one trace through the packaged services: the suite runs with the OpenTelemetry SDK on, exporting
 * over OTLP/HTTP to a collector this test serves ({@link OtlpTraceCollector}). A customer's objection goes in as a
 * client frame (typed: {@code conversation.item.create}; spoken: {@code input_audio_buffer.append} frames cut by server
 * VAD) and comes back as a {@code voicecoach.coaching.suggestion} frame; the test then walks the parents of the span of
 * that frame's write up to the frame that began the trace, through every service on the way (gateway, transcription for
 * speech, coaching's Kafka Streams processor, the gateway's fan-out), and finds tool-service's battle-card lookup and
 * analytics' ingestion in the same trace.
 */
class TracedUtteranceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OBJECTION = "honestly the price is too high for us this quarter";
    /** Bounds for a 2-core CI machine shared with other builds; spans are exported every 200 ms. */
    private static final Duration SUGGESTION_BOUND = Duration.ofSeconds(60);
    private static final Duration SPANS_BOUND = Duration.ofSeconds(30);

    private static OtlpTraceCollector collector;
    private static EmbeddedKafka kafka;
    private static EmbeddedPostgresServer postgres;
    private static Suite suite;

    @RegisterExtension
    static final SystemTests.Failures FAILURES = new SystemTests.Failures();

    @BeforeAll
    static void startTheSuiteWithTraces() {
        try {
            var root = SystemTests.packagedServices();
            long start = System.nanoTime();
            collector = OtlpTraceCollector.start();
            kafka = EmbeddedKafka.startEphemeral();
            postgres = EmbeddedPostgresServer.startEphemeral();
            var config = SuiteConfig.withFreePorts(root, Path.of("target/traces-logs").toAbsolutePath(),
                            kafka.bootstrapServers(), Database.of(postgres), SuiteConfig.DEFAULT_DEMO_API_KEY)
                    // the battle card follows the suggestion when tool-service answers in time; seven JVMs on 2 cores
                    .withProperty(Service.COACHING, "voicecoach.coaching.battle-card-wait", "5s")
                    .withProperty(Service.TRANSCRIPTION, "voicecoach.stt.finish-timeout", "PT90S");
            for (var service : Service.values()) {
                config = config.withProperty(service, "quarkus.otel.sdk.disabled", "false")
                        .withProperty(service, "quarkus.otel.exporter.otlp.protocol", "http/protobuf")
                        .withProperty(service, "quarkus.otel.exporter.otlp.endpoint", collector.endpoint())
                        .withProperty(service, "quarkus.otel.bsp.schedule.delay", "200ms");
            }
            suite = Suite.start(config);
            suite.awaitReady(Duration.ofMinutes(4), line -> System.out.println("traces:   " + line));
            boolean settled = suite.awaitConsumerGroups(Duration.ofSeconds(90));
            System.out.printf("traces: suite ready after %.1f s (consumer groups settled: %s), collector at %s%n",
                    (System.nanoTime() - start) / 1e9, settled, collector.endpoint());
        } catch (RuntimeException | Error e) {
            FAILURES.failed();
            throw e;
        }
    }

    @AfterAll
    static void stopEverything() {
        SystemTests.stopAll("traces", FAILURES.any(), suite, kafka, postgres, collector);
    }

    @Test
    void aTypedObjectionIsOneTraceFromItsFrameToTheSuggestionFrameThroughEveryService() {
        String itemId = "item_traced_" + UUID.randomUUID().toString().substring(0, 8);
        try (var client = RealtimeAudioClient.connect(suite.config().realtimeUrl(), SuiteConfig.DEFAULT_DEMO_API_KEY)) {
            String session = client.awaitSessionId();
            var frame = JSON.createObjectNode().put("type", "conversation.item.create").put("event_id", "evt_traced");
            var item = frame.putObject("item").put("id", itemId).put("type", "message").put("role", "user");
            item.putArray("content").addObject().put("type", "input_text").put("text", OBJECTION);
            frame.putObject("voicecoach").put("track", "customer");
            client.send(frame);
            awaitSuggestionFrame(client, itemId);
            awaitBattleCardFrame(client, itemId);
            System.out.printf("traces: typed objection %s of session %s coached%n", itemId, session);
        }

        var root = awaitRoot("realtime conversation.item.create", itemId);
        var chain = awaitChain(root, "realtime send coaching.suggestion");
        print("typed", root, chain);
        assertThat(chain.getLast()).as("the chain ends at the frame that began the trace").isEqualTo(root);
        assertThat(servicesAlong(chain)).as("services from the suggestion frame back to the item frame")
                .containsExactly("gateway-service", "coaching-service", "gateway-service");
        assertThat(names(chain)).contains("coach.suggestions receive", "voice.transcripts process",
                "voice.transcripts publish");

        // the battle card: coaching asks tool-service (tool.calls), whose answer (tool.results) coaching turns into
        // the card frame, all in the same trace; analytics ingests the same records in it
        var card = awaitChain(root, "realtime send coaching.battle_card");
        assertThat(servicesAlong(card)).as("services from the battle-card frame back to the item frame")
                .containsSubsequence("gateway-service", "coaching-service", "tool-service", "coaching-service",
                        "gateway-service");
        assertThat(names(card)).contains("tool.results process");
        awaitSpansOf(root.traceId(), "analytics-service");
        assertTraceIsWhole(root.traceId());
    }

    @Test
    void aSpokenObjectionIsOneTraceFromItsFirstAudioFrameThroughTranscriptionToTheSuggestionFrame() {
        assumeTrue(Speech.missingTools().isEmpty(), Speech.skipMessage());
        var audio = Speech.concat(Speech.silence(400, RealtimeAudioClient.RATE),
                Speech.pcm(OBJECTION, RealtimeAudioClient.RATE), Speech.silence(900, RealtimeAudioClient.RATE));
        String itemId;
        try (var client = RealtimeAudioClient.connect(suite.config().realtimeUrl(), SuiteConfig.DEFAULT_DEMO_API_KEY)) {
            String session = client.awaitSessionId();
            client.configureServerVad("call_traced_" + UUID.randomUUID().toString().substring(0, 8));
            client.streamRealTime("customer", audio);
            itemId = client.awaitFrame(f -> f.type().equals("input_audio_buffer.committed"), Duration.ofSeconds(10))
                    .json().path("item_id").asText();
            awaitSuggestionFrame(client, itemId);
            System.out.printf("traces: spoken objection %s of session %s coached%n", itemId, session);
        }

        var root = awaitRoot("realtime input_audio_buffer.append", itemId);
        var chain = awaitChain(root, "realtime send coaching.suggestion");
        print("spoken", root, chain);
        assertThat(chain.getLast()).isEqualTo(root);
        assertThat(servicesAlong(chain)).as("services from the suggestion frame back to the first audio frame")
                .containsExactly("gateway-service", "coaching-service", "transcription-service", "gateway-service");
        assertThat(names(chain)).contains("voice.transcripts process", "voice.transcripts publish",
                "transcribe pocketsphinx", "voice.audio receive", "voice.audio publish");
        // the transcript echoed to the client is in the same trace
        awaitChain(root, "realtime send transcript.final");
        assertTraceIsWhole(root.traceId());
    }

    private static void awaitSuggestionFrame(RealtimeAudioClient client, String itemId) {
        var suggestion = client.awaitFrame(f -> f.type().equals("voicecoach.coaching.suggestion")
                && itemId.equals(f.json().path("suggestion").path("item_id").asText()), SUGGESTION_BOUND);
        assertThat(suggestion.json().path("suggestion").path("category").asText()).isEqualTo("price");
    }

    private static void awaitBattleCardFrame(RealtimeAudioClient client, String itemId) {
        client.awaitFrame(f -> f.type().equals("voicecoach.coaching.battle_card")
                && itemId.equals(f.json().path("item_id").asText()), SUGGESTION_BOUND);
    }

    /** The gateway's root span of the client frame that began the item's trace. */
    private static CollectedSpan awaitRoot(String name, String itemId) {
        Predicate<CollectedSpan> isRoot = s -> s.name().equals(name) && itemId.equals(s.attributes().get(
                "voicecoach.item.id"));
        await().atMost(SPANS_BOUND).pollInterval(Duration.ofMillis(100))
                .until(() -> collector.spans().stream().anyMatch(isRoot));
        var roots = collector.spans().stream().filter(isRoot).toList();
        assertThat(roots).as("one trace per item").hasSize(1);
        var root = roots.getFirst();
        assertThat(root.service()).isEqualTo("gateway-service");
        assertThat(root.isRoot()).as("the item's trace starts at its frame").isTrue();
        return root;
    }

    /**
     * The span named {@code leafName} in the root's trace and its ancestors up to the root, once every one of them was
     * exported: leaf first, root last.
     */
    private static List<CollectedSpan> awaitChain(CollectedSpan root, String leafName) {
        var chain = new ArrayList<CollectedSpan>();
        await().atMost(SPANS_BOUND).pollInterval(Duration.ofMillis(100)).until(() -> {
            chain.clear();
            var trace = collector.trace(root.traceId());
            var byId = trace.stream().collect(Collectors.toMap(CollectedSpan::spanId, s -> s, (a, b) -> a));
            Optional<CollectedSpan> at = trace.stream().filter(s -> s.name().equals(leafName)).findFirst();
            while (at.isPresent()) {
                chain.add(at.get());
                at = at.get().isRoot() ? Optional.empty() : Optional.ofNullable(byId.get(at.get().parentSpanId()));
            }
            return !chain.isEmpty() && chain.getLast().isRoot();
        });
        return List.copyOf(chain);
    }

    private static void awaitSpansOf(String traceId, String service) {
        await().atMost(SPANS_BOUND).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(collector.trace(traceId)).as("spans of %s in the trace", service)
                        .anyMatch(s -> s.service().equals(service)));
    }

    /** Every span of the trace names a parent that is in the trace too (nothing was cut off); one root. */
    private static void assertTraceIsWhole(String traceId) {
        var trace = collector.trace(traceId);
        var ids = trace.stream().map(CollectedSpan::spanId).collect(Collectors.toSet());
        assertThat(trace.stream().filter(CollectedSpan::isRoot)).as("roots of the trace").hasSize(1);
        await().atMost(SPANS_BOUND).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            var now = collector.trace(traceId);
            var known = now.stream().map(CollectedSpan::spanId).collect(Collectors.toSet());
            assertThat(now).as("spans whose parent is not in the trace")
                    .allMatch(s -> s.isRoot() || known.contains(s.parentSpanId()));
        });
        assertThat(ids).isNotEmpty();
        assertThat(collector.failures()).as("export requests the collector could not read").isEmpty();
    }

    /** The services along a chain, consecutive repeats folded: leaf's service first. */
    private static List<String> servicesAlong(List<CollectedSpan> chain) {
        var services = new ArrayList<String>();
        for (var span : chain) {
            if (services.isEmpty() || !services.getLast().equals(span.service())) {
                services.add(span.service());
            }
        }
        return services;
    }

    private static List<String> names(List<CollectedSpan> chain) {
        return chain.stream().map(CollectedSpan::name).toList();
    }

    private static void print(String what, CollectedSpan root, List<CollectedSpan> chain) {
        var trace = collector.trace(root.traceId());
        Map<String, Long> perService = trace.stream().collect(Collectors.groupingBy(CollectedSpan::service,
                java.util.TreeMap::new, Collectors.counting()));
        System.out.printf("traces: %s trace %s: %d spans %s; from the suggestion frame back:%n", what, root.traceId(),
                trace.size(), perService);
        chain.forEach(span -> System.out.println("traces:   " + span));
    }
}
