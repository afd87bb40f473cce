package io.voicecoach.systemtest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.voicecoach.devstack.EmbeddedKafka;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.devstack.ManagedProcess;
import io.voicecoach.devstack.Service;
import io.voicecoach.devstack.SuiteConfig;
import io.voicecoach.events.AudioHeaders;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two transcription-service processes in one consumer group; a call's audio streams in at real-time pace and the
 * instance that owns the session's {@code voice.audio} partition is killed with SIGKILL in the middle of an
 * utterance. Every utterance must still get its final transcript, and a consumer that de-duplicates by
 * {@code eventId} (the gateway, coaching, analytics) must see exactly one final per utterance. Half of the utterances
 * ask, in the headers of their first chunk, for the openai-compatible engine with a language and a phrase list; both
 * instances send that engine's requests to {@link TranscriptionsEcho}, which answers with the language, prompt and
 * audio length it received, so each such final proves the utterance's settings reached whichever instance decoded it
 * (the interrupted one is decoded by the survivor). The others go to the default engine, pocketsphinx.
 */
class TranscriptionFailoverTest {

    private static final String GROUP = "transcription-service";
    private static final String TENANT = "failover";
    private static final int CHUNK_MS = 160;
    private static final int CHUNK_BYTES = CHUNK_MS * 32; // PCM16 16 kHz
    private static final List<String> UTTERANCES = List.of(
            "what is the price of the contract",
            "we do not have the budget for this right now",
            "can you give us a discount",
            "i need to talk to my manager first",
            "please send the contract by friday",
            "let us schedule a demo next week");
    /** The owner dies while this utterance (0-based) is half streamed. */
    private static final int KILLED_DURING = 2;
    /** Utterance index -> the speech-to-text settings its first chunk asks for; the others use the defaults. */
    private static final Map<Integer, Settings> ASKED = Map.of(
            0, new Settings("openai", "de-DE", List.of("Acme Cloud", "Globex")),
            KILLED_DURING, new Settings("openai", "fr-FR", List.of("Initech")),
            4, new Settings("OpenAI", "es-ES", List.of("Hooli", "price match")));

    private record Settings(String engine, String language, List<String> phrases) {
        /** What {@link TranscriptionsEcho} answers for an utterance of {@code audioMs} decoded with these settings. */
        String echo(long audioMs) {
            return TranscriptionsEcho.text(language.substring(0, 2), String.join(", ", phrases), audioMs);
        }
    }

    private static EmbeddedKafka kafka;
    private static TranscriptionsEcho echo;
    private static final Map<String, ManagedProcess> instances = new LinkedHashMap<>();
    private static final Map<String, Integer> ports = new HashMap<>();
    private static volatile boolean failed;

    @RegisterExtension
    static final TestWatcher FAILURES = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            failed = true;
        }
    };

    @BeforeAll
    static void startTwoInstances() {
        assumeTrue(Speech.missingTools().isEmpty(), Speech.skipMessage());
        var jar = Service.TRANSCRIPTION.jarIn(SystemTests.modulesDir());
        if (!jar.toFile().isFile()) {
            fail("this test runs the packaged transcription-service, but " + jar + " is missing. Package it first.");
        }
        kafka = EmbeddedKafka.startEphemeral();
        echo = TranscriptionsEcho.start();
        var logDir = Path.of("target/failover-logs").toAbsolutePath();
        // devstack hands out free ports through SuiteConfig; this test needs two of them
        var free = SuiteConfig.withFreePorts(SystemTests.modulesDir(), logDir, kafka.bootstrapServers(), null, "unused");
        var freePorts = List.of(free.port(Service.TRANSCRIPTION), free.port(Service.COACHING));
        for (String name : List.of("transcription-a", "transcription-b")) {
            int port = freePorts.get(ports.size());
            ports.put(name, port);
            instances.put(name, ManagedProcess.start(name, command(jar, name, port), logDir.resolve(name + ".log"),
                    SystemTests.modulesDir()));
        }
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (var instance : instances.values()) {
                if (!instance.alive()) {
                    throw new IllegalStateException(instance.name() + " exited:\n" + instance.tail(40));
                }
            }
            return instances.keySet().stream().allMatch(TranscriptionFailoverTest::ready);
        });
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> audioOwners().values().stream().distinct().count() == 2);
        System.out.println("failover: both instances ready, voice.audio assignment " + audioOwners());
    }

    /**
     * Client ids name the instance (to find it in the group's assignment); the group notices the dead instance with
     * the shipped consumer settings (session.timeout.ms 10 s). Both instances send openai-compatible requests to the
     * echo server.
     */
    private static List<String> command(Path jar, String name, int port) {
        var command = new ArrayList<String>();
        command.add(ManagedProcess.javaExecutable());
        command.addAll(SuiteConfig.DEFAULT_JVM_OPTIONS);
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dkafka.bootstrap.servers=" + kafka.bootstrapServers());
        command.add("-Dmp.messaging.incoming.audio.client.id=" + name + "-audio");
        command.add("-Dvoicecoach.stt.openai.base-url=" + echo.baseUrl());
        command.add("-Dvoicecoach.stt.openai.api-key=sk-failover");
        // the call asks for openai-compatible in its audio headers; an off-box engine that is not the tenant's default
        // decodes only where the engine policy allows it (else engine_not_allowed and the default engine)
        command.add("-Dvoicecoach.stt.allowed-engines=local,openai-compatible");
        // the survivor re-decodes the dead instance's open utterances all at once; on a loaded 2-core CI machine that
        // can take longer than the production finish timeout, and this test is about failover, not speed
        command.add("-Dvoicecoach.stt.finish-timeout=PT90S");
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }

    @AfterAll
    static void stopEverything() {
        if (failed) {
            instances.values().forEach(i -> System.out.println("----- " + i.log() + "\n" + i.tail(60)));
        }
        instances.values().forEach(ManagedProcess::requestStop);
        instances.values().forEach(i -> i.awaitExit(Duration.ofSeconds(10)));
        if (kafka != null) {
            kafka.close();
        }
        if (echo != null) {
            echo.close();
        }
    }

    @Test
    void killingTheOwnerMidCallLosesNoUtteranceAndShowsNoneTwice() {
        String session = "sess_failover_" + UUID.randomUUID();
        int partition = Utils.toPositive(Utils.murmur2(session.getBytes(StandardCharsets.UTF_8)))
                % partitionCount();
        String owner = audioOwners().get(partition);
        assertThat(owner).as("owner of voice.audio-%d", partition).isNotNull();
        String survivor = instances.keySet().stream().filter(n -> !n.equals(owner)).findFirst().orElseThrow();
        System.out.printf("failover: session %s on voice.audio-%d, owned by %s%n", session, partition, owner);

        var pcm = UTTERANCES.stream().map(text -> Speech.pcm(text, AudioHeaders.SAMPLE_RATE)).toList();
        try (var client = new KafkaTestClient(kafka.bootstrapServers());
             var transcripts = client.read(Topics.TRANSCRIPTS)) {
            // transcription reads no voice.sessions: what it needs of the session comes with the audio
            var call = new CallStream(client, session);
            Instant killedAt = null;
            for (int i = 0; i < UTTERANCES.size(); i++) {
                String utterance = utteranceId(i);
                var settings = ASKED.get(i);
                if (i == KILLED_DURING) {
                    int half = pcm.get(i).length / 2 / CHUNK_BYTES * CHUNK_BYTES;
                    call.stream(utterance, Arrays.copyOfRange(pcm.get(i), 0, half), false, settings);
                    killedAt = kill(owner);
                    System.out.printf("failover: killed %s (SIGKILL) halfway through %s at %s%n", owner, utterance,
                            killedAt);
                    call.stream(utterance, Arrays.copyOfRange(pcm.get(i), half, pcm.get(i).length), true, null);
                } else {
                    call.stream(utterance, pcm.get(i), true, settings);
                }
                call.silence(700);
            }

            var expected = IntStream.range(0, UTTERANCES.size()).mapToObj(i -> utteranceId(i)).toList();
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).until(() ->
                    finals(transcripts, session).stream().map(e -> e.payloadAs(Transcript.class).utteranceId())
                            .collect(Collectors.toSet()).size() == UTTERANCES.size());
            // no replay can come once the group has committed all the call's audio; a marker published after that
            // on the session's transcripts partition arrives after every transcript published before it
            long end = endOffset(new TopicPartition(Topics.AUDIO, partition));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> committedOffset(new TopicPartition(Topics.AUDIO, partition)) >= end);
            String marker = "end-of-call-" + UUID.randomUUID();
            client.sendRaw(Topics.TRANSCRIPTS, session, marker);
            transcripts.awaitOne(r -> marker.equals(r.valueAsString()), Duration.ofSeconds(10));

            var finals = finals(transcripts, session);
            var byUtterance = finals.stream().collect(Collectors.groupingBy(
                    e -> e.payloadAs(Transcript.class).utteranceId(), LinkedHashMap::new, Collectors.toList()));
            System.out.printf("failover: %d final records for %d utterances (%d replayed copies)%n", finals.size(),
                    byUtterance.size(), finals.size() - byUtterance.size());
            byUtterance.forEach((id, copies) -> System.out.printf("failover:   %s x%d %s [%s]%n", id, copies.size(),
                    copies.getFirst().payloadAs(Transcript.class).engine(), copies.getFirst().payloadAs(Transcript.class).text()));
            var interrupted = byUtterance.get(utteranceId(KILLED_DURING));
            if (interrupted != null) {
                System.out.printf("failover: final of the interrupted utterance on the broker %d ms after the kill%n",
                        Duration.between(killedAt, interrupted.getFirst().occurredAt()).toMillis());
            }

            assertThat(byUtterance.keySet()).as("every utterance has a final transcript")
                    .containsExactlyInAnyOrderElementsOf(expected);
            byUtterance.forEach((id, copies) -> {
                var eventIds = copies.stream().map(Envelope::eventId).collect(Collectors.toSet());
                assertThat(eventIds).as("event ids of %s's final (a replay must reuse it)", id)
                        .containsExactly(UUID.nameUUIDFromBytes((session + "/" + id + "/final")
                                .getBytes(StandardCharsets.UTF_8)));
            });
            // what a consumer de-duplicating by eventId shows: one final per utterance, each with words in it
            var shown = new LinkedHashMap<UUID, Transcript>();
            finals.forEach(e -> shown.putIfAbsent(e.eventId(), e.payloadAs(Transcript.class)));
            assertThat(shown.values()).extracting(Transcript::utteranceId).doesNotHaveDuplicates()
                    .hasSize(UTTERANCES.size());
            assertThat(shown.values()).allSatisfy(t -> {
                assertThat(t.text()).isNotBlank();
                assertThat(t.track()).isEqualTo(Track.CUSTOMER);
                assertThat(t.endMs()).isGreaterThan(t.startMs());
            });
            var killed = shown.values().stream().filter(t -> t.utteranceId().equals(utteranceId(KILLED_DURING)))
                    .findFirst().orElseThrow();
            assertThat(killed.endMs() - killed.startMs()).as("the interrupted utterance was recognised whole, ms")
                    .isGreaterThanOrEqualTo(pcm.get(KILLED_DURING).length / 32 - CHUNK_MS);
            // the settings of each utterance reached the instance that decoded it, the survivor included
            for (int i = 0; i < UTTERANCES.size(); i++) {
                String id = utteranceId(i);
                var transcript = shown.values().stream().filter(t -> t.utteranceId().equals(id)).findFirst().orElseThrow();
                var settings = ASKED.get(i);
                if (settings == null) {
                    assertThat(transcript.engine()).as("engine of %s (no settings)", transcript.utteranceId())
                            .isEqualTo("pocketsphinx");
                } else {
                    assertThat(transcript.engine()).as("engine of %s", transcript.utteranceId()).isEqualTo("openai-compatible");
                    assertThat(transcript.text()).as("what the engine was told for %s", transcript.utteranceId())
                            .isEqualTo(settings.echo(pcm.get(i).length / 32));
                }
            }
        }
        assertThat(instances.get(owner).alive()).isFalse();
        assertThat(audioOwners().get(partition)).as("voice.audio-%d after the kill", partition).isEqualTo(survivor);
    }

    /** Sends audio like the gateway: 160 ms chunks at real-time pace, track offsets, commit on the last chunk. */
    private static final class CallStream {
        private final KafkaTestClient client;
        private final String session;
        private final long start = System.nanoTime();
        private long offsetMs;
        private long seq;

        CallStream(KafkaTestClient client, String session) {
            this.client = client;
            this.session = session;
        }

        /** Like the gateway, puts the utterance's speech-to-text settings (null: none) on its first chunk. */
        void stream(String utterance, byte[] pcm, boolean commit, Settings settings) {
            for (int from = 0; from < pcm.length; from += CHUNK_BYTES) {
                int to = Math.min(pcm.length, from + CHUNK_BYTES);
                waitUntil(offsetMs);
                var headers = new HashMap<String, String>();
                headers.put(AudioHeaders.TENANT_ID, TENANT);
                headers.put(AudioHeaders.SESSION_ID, session);
                headers.put(AudioHeaders.TRACK, Track.CUSTOMER);
                headers.put(AudioHeaders.EVENT_ID, UUID.randomUUID().toString());
                headers.put(AudioHeaders.UTTERANCE_ID, utterance);
                headers.put(AudioHeaders.OFFSET_MS, Long.toString(offsetMs));
                headers.put(AudioHeaders.RECEIVED_AT, Instant.now().toString());
                headers.put(AudioHeaders.SEQ, Long.toString(++seq));
                headers.put(AudioHeaders.COMMIT, Boolean.toString(commit && to == pcm.length));
                if (settings != null && from == 0) {
                    headers.put(AudioHeaders.STT_ENGINE, settings.engine());
                    headers.put(AudioHeaders.LANGUAGE, settings.language());
                    headers.put(AudioHeaders.PHRASES, json(settings.phrases()));
                }
                client.send(Topics.AUDIO, session, Arrays.copyOfRange(pcm, from, to), headers);
                offsetMs += (to - from) / 32;
            }
        }

        /** A pause between turns: the gateway's VAD sends nothing for it, the track's clock moves on. */
        void silence(int millis) {
            offsetMs += millis;
            waitUntil(offsetMs);
        }

        private void waitUntil(long trackMs) {
            long wait = start + TimeUnit.MILLISECONDS.toNanos(trackMs) - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    private static String json(List<String> strings) {
        try {
            return EventJson.MAPPER.writeValueAsString(strings);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * A stand-in for OpenAI's {@code POST /v1/audio/transcriptions} that answers with what it was told: the form's
     * {@code language} and {@code prompt} and the length of the WAV file's audio.
     */
    private static final class TranscriptionsEcho implements AutoCloseable {
        private static final Pattern FIELD = Pattern.compile(
                "name=\"(language|prompt)\"[^\r]*\r\n(?:[^\r\n]+\r\n)*\r\n([^\r]*)\r\n");
        private final HttpServer server;

        private TranscriptionsEcho(HttpServer server) {
            this.server = server;
        }

        static TranscriptionsEcho start() {
            try {
                var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
                server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
                server.createContext("/v1/audio/transcriptions", TranscriptionsEcho::answer);
                server.start();
                return new TranscriptionsEcho(server);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the transcriptions echo", e);
            }
        }

        static String text(String language, String prompt, long audioMs) {
            return "language=" + language + " prompt=" + prompt + " audio_ms=" + audioMs;
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private static void answer(HttpExchange exchange) throws IOException {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                String form = new String(body, StandardCharsets.ISO_8859_1);
                var fields = new HashMap<String, String>();
                for (var m = FIELD.matcher(form); m.find(); ) {
                    fields.put(m.group(1), new String(m.group(2).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
                }
                int riff = form.indexOf("RIFF");
                long dataBytes = riff < 0 ? 0 : ByteBuffer.wrap(body, riff + 40, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
                var answer = EventJson.MAPPER.createObjectNode().put("text",
                        text(fields.get("language"), fields.get("prompt"), dataBytes / 32));
                byte[] json = EventJson.MAPPER.writeValueAsBytes(answer);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, json.length);
                exchange.getResponseBody().write(json);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static String utteranceId(int index) {
        return "item_failover_%02d".formatted(index + 1);
    }

    private static List<Envelope> finals(KafkaTestClient.TopicReader transcripts, String session) {
        return transcripts.envelopes(session, EventTypes.TRANSCRIPT_FINAL);
    }

    private static Instant kill(String name) {
        var process = instances.get(name);
        var handle = ProcessHandle.of(process.pid()).orElseThrow();
        assertThat(handle.info().command()).as("pid %d is the JVM", process.pid())
                .hasValueSatisfying(c -> assertThat(c).endsWith("java"));
        handle.destroyForcibly(); // SIGKILL: no shutdown hook, no offset commit, no leave-group
        await().atMost(Duration.ofSeconds(10)).until(() -> !handle.isAlive());
        return Instant.now();
    }

    /** voice.audio partition -> the instance whose audio consumer holds it. */
    private static Map<Integer, String> audioOwners() {
        try (var admin = admin()) {
            var group = admin.describeConsumerGroups(List.of(GROUP)).all().get(10, TimeUnit.SECONDS).get(GROUP);
            var owners = new HashMap<Integer, String>();
            if (group.groupState() != GroupState.STABLE) {
                return owners;
            }
            for (MemberDescription member : group.members()) {
                instanceOf(member).ifPresent(name -> member.assignment().topicPartitions().stream()
                        .filter(tp -> tp.topic().equals(Topics.AUDIO))
                        .map(TopicPartition::partition)
                        .forEach(p -> owners.put(p, name)));
            }
            return owners;
        } catch (Exception e) {
            return Map.of();
        }
    }

    private static Optional<String> instanceOf(MemberDescription member) {
        return instances.keySet().stream().filter(name -> member.clientId().startsWith(name + "-audio")).findFirst();
    }

    private static long endOffset(TopicPartition partition) {
        try (var admin = admin()) {
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)
                    .get(10, TimeUnit.SECONDS).offset();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the end of " + partition, e);
        }
    }

    private static long committedOffset(TopicPartition partition) {
        try (var admin = admin()) {
            var offsets = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS);
            var committed = offsets.get(partition);
            return committed == null ? -1 : committed.offset();
        } catch (Exception e) {
            return -1;
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    private static int partitionCount() {
        try (var admin = admin()) {
            return admin.describeTopics(Set.of(Topics.AUDIO)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(Topics.AUDIO).partitions().size();
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe " + Topics.AUDIO, e);
        }
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
