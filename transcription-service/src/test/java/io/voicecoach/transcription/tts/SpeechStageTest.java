package io.voicecoach.transcription.tts;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.AgentAudioDelta;
import io.voicecoach.events.AgentAudioDone;
import io.voicecoach.events.AgentReplyEvent;
import io.voicecoach.events.AgentResponseCreated;
import io.voicecoach.events.AgentResponseDone;
import io.voicecoach.events.AgentSpeechFailed;
import io.voicecoach.events.AgentTextDelta;
import io.voicecoach.events.AgentTextDone;
import io.voicecoach.events.Event;
import io.voicecoach.events.EventCodec;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SpeechOutput;
import io.voicecoach.events.Topics;
import io.voicecoach.transcription.stt.EngineStubsResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@QuarkusTest
@QuarkusTestResource(DevstackTestResource.class)
@QuarkusTestResource(EngineStubsResource.class) // same resources as the other tests: one application start
class SpeechStageTest {

    private static final Duration SPOKEN = Duration.ofSeconds(60);
    private static final String TEXT = "Sure, your car is booked for Tuesday at nine in the morning. "
            + "We will see you then!";

    private static boolean espeak;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @BeforeAll
    static void findEspeak() {
        try {
            var process = new ProcessBuilder("espeak-ng", "--version").redirectErrorStream(true).start();
            espeak = process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            espeak = false;
        }
    }

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void aStreamedReplyIsSpokenInChunksOfPcmAsLongAsItsWords() {
        assumeTrue(espeak, "espeak-ng is not installed (Debian package espeak-ng): skipping the speech stage test");
        String session = "sess_" + UUID.randomUUID();
        try (var speech = kafka.read(Topics.AGENT_SPEECH)) {
            streamReply("acme", session, "resp_1", "item_1");

            var done = awaitDone(speech, session);
            var deltas = audio(speech, session);

            assertThat(done.chunks()).isEqualTo(deltas.size()).isGreaterThan(5);
            assertThat(done.transcript()).isEqualTo(TEXT);
            assertThat(done.engine()).isEqualTo("espeak-ng");
            assertThat(done.voice()).isEqualTo("alloy");
            assertThat(deltas).extracting(AgentAudioDelta::chunk)
                    .containsExactlyElementsOf(IntStream.range(0, deltas.size()).boxed().toList());
            assertThat(deltas).allSatisfy(delta -> {
                assertThat(delta.sampleRate()).isEqualTo(24_000);
                byte[] pcm = Base64.getDecoder().decode(delta.audio());
                assertThat(pcm.length).isPositive().isEven().isLessThanOrEqualTo(9600);
                assertThat(delta.durationMs()).isEqualTo(pcm.length / 48);
            });
            // the pieces each start a chunk: "Sure, your car ... morning." and " We will see you then!"
            assertThat(deltas.stream().map(AgentAudioDelta::transcript).filter(t -> !t.isEmpty()))
                    .containsExactly("Sure, your car is booked for Tuesday at nine in the morning.",
                            " We will see you then!");
            long words = TEXT.split("\\s+").length;
            long millis = deltas.stream().mapToLong(AgentAudioDelta::durationMs).sum();
            assertThat(millis).as("audio of %d words at 175 wpm", words).isBetween(words * 150, words * 800);
            assertThat(done.durationMs()).isEqualTo(millis);
            assertThat(deltas.stream().mapToLong(delta -> peak(delta.audio())).max().orElse(0))
                    .as("speech, not silence").isGreaterThan(1000);
        }
    }

    @Test
    void aReplySpokenAgainRepeatsItsEventIdsEvenFromItsFullTextOnly() {
        assumeTrue(espeak, "espeak-ng is not installed (Debian package espeak-ng): skipping the speech stage test");
        String session = "sess_" + UUID.randomUUID();
        try (var speech = kafka.read(Topics.AGENT_SPEECH)) {
            streamReply("acme", session, "resp_2", "item_2");
            awaitDone(speech, session);
            var first = ids(speech, session);

            // what a new owner of the partition reads when the first one died after publishing (the reply's records
            // were not acknowledged): the same reply again; and what it reads when the reply began before its offset
            streamReply("acme", session, "resp_2", "item_2");
            send("acme", session, new AgentTextDone("resp_2", "item_2", TEXT));
            send("acme", session, new AgentResponseDone("resp_2", "completed", TEXT));
            speech.await(record -> session.equals(record.key())
                    && EventTypes.AGENT_AUDIO_DONE.equals(record.envelope().type()), 3, SPOKEN);

            var all = speech.all().stream().filter(record -> session.equals(record.key()))
                    .map(record -> record.envelope().eventId()).toList();
            assertThat(all).hasSize(first.size() * 3);
            assertThat(all.stream().distinct().toList()).containsExactlyInAnyOrderElementsOf(first);
        }
    }

    @Test
    void theSessionsSpeedMakesEspeakSpeakFaster() {
        assumeTrue(espeak, "espeak-ng is not installed (Debian package espeak-ng): skipping the speech stage test");
        String normal = "sess_" + UUID.randomUUID();
        String fast = "sess_" + UUID.randomUUID();
        try (var speech = kafka.read(Topics.AGENT_SPEECH)) {
            streamReply("acme", normal, new AgentResponseCreated("resp_n", new SpeechOutput(true, "alloy", null)),
                    "item_n");
            streamReply("acme", fast, new AgentResponseCreated("resp_f", new SpeechOutput(true, "alloy", null, 1.5)),
                    "item_f");

            long normalMs = awaitDone(speech, normal).durationMs();
            long fastMs = awaitDone(speech, fast).durationMs();
            // 175 words a minute against 263 (x 1.5): about two thirds of the time; pauses do not scale exactly
            assertThat(fastMs).as("the same words at speed 1.5 (normal: %d ms)", normalMs)
                    .isBetween(normalMs / 2, normalMs * 4 / 5);
        }
    }

    @Test
    void theSessionsVoiceAndTelephonyFormatAreAppliedAndATextOnlySessionIsNotSpoken() {
        assumeTrue(espeak, "espeak-ng is not installed (Debian package espeak-ng): skipping the speech stage test");
        String session = "sess_" + UUID.randomUUID();
        try (var speech = kafka.read(Topics.AGENT_SPEECH)) {
            streamReply("acme", session, new AgentResponseCreated("resp_text", new SpeechOutput(false, "echo", null)),
                    "item_text");
            streamReply("acme", session, new AgentResponseCreated("resp_phone",
                    new SpeechOutput(true, "echo", "audio/pcmu")), "item_phone");

            var done = awaitDone(speech, session);
            var deltas = audio(speech, session);

            assertThat(done.responseId()).isEqualTo("resp_phone");
            assertThat(done.voice()).as("the session's voice, not the tenant's alloy").isEqualTo("echo");
            assertThat(deltas).isNotEmpty().allSatisfy(delta -> {
                assertThat(delta.responseId()).as("the text-only reply is not spoken").isEqualTo("resp_phone");
                assertThat(delta.sampleRate()).as("8 kHz for a G.711 session").isEqualTo(8_000);
                byte[] pcm = Base64.getDecoder().decode(delta.audio());
                assertThat(pcm.length).isPositive().isEven().isLessThanOrEqualTo(3200);
                assertThat(delta.durationMs()).isEqualTo(pcm.length / 16);
            });
            long words = TEXT.split("\\s+").length;
            assertThat(done.durationMs()).as("audio of %d words at 175 wpm", words)
                    .isBetween(words * 150, words * 800);
            assertThat(deltas.stream().mapToLong(delta -> peak(delta.audio())).max().orElse(0))
                    .as("speech, not silence").isGreaterThan(1000);
        }
    }

    @Test
    void aFailingEngineGivesAFailureEventWithItsCode() {
        String session = "sess_" + UUID.randomUUID();
        try (var speech = kafka.read(Topics.AGENT_SPEECH)) {
            streamReply("mute", session, "resp_3", "item_3");

            var failed = speech.awaitOne(record -> session.equals(record.key()), SPOKEN).envelope()
                    .payloadAs(AgentSpeechFailed.class);
            assertThat(failed.code()).isEqualTo("engine_timeout");
            assertThat(failed.chunk()).isZero();
            assertThat(failed.engine()).isEqualTo("failing");
            assertThat(failed.itemId()).isEqualTo("item_3");
            // a later reply of the session is tried again (and fails again): the stage goes on
            streamReply("mute", session, "resp_4", "item_4");
            speech.await(record -> session.equals(record.key()), 2, SPOKEN);
            assertThat(speech.envelopes(session, EventTypes.AGENT_AUDIO_DELTA)).isEmpty();
            assertThat(speech.envelopes(session, EventTypes.AGENT_AUDIO_DONE)).isEmpty();
        }
    }

    @Test
    void anUnreachableHttpEngineGivesItsDocumentedCode() {
        String session = "sess_" + UUID.randomUUID();
        try (var speech = kafka.read(Topics.AGENT_SPEECH)) {
            streamReply("cloud", session, "resp_5", "item_5");

            var failed = speech.awaitOne(record -> session.equals(record.key()), SPOKEN).envelope()
                    .payloadAs(AgentSpeechFailed.class);
            assertThat(failed.code()).isEqualTo("engine_unreachable");
            assertThat(failed.engine()).isEqualTo("openai-compatible");
            assertThat(failed.chunk()).isZero();
        }
    }

    @Test
    void anUndecodableRecordIsParkedAsReceivedAndAnUnknownTypeSkippedWhileTheStageGoesOn() {
        String session = "sess_" + UUID.randomUUID();
        String unknown = EventCodec.encodeToString(event("mute", session, new AgentTextDelta("resp_6", "item_6", "Hi")))
                .replace(EventTypes.AGENT_TEXT_DELTA, "agent.response.hummed");
        byte[] garbage = "{\"eventId\": not json".getBytes(StandardCharsets.UTF_8);
        try (var speech = kafka.read(Topics.AGENT_SPEECH); var parked = kafka.read(Topics.deadLetter(Topics.AGENT_REPLIES))) {
            kafka.sendRaw(Topics.AGENT_REPLIES, session, unknown);
            kafka.send(Topics.AGENT_REPLIES, session, garbage, Map.of());
            streamReply("mute", session, "resp_7", "item_7");

            var failed = EventCodec.decode(speech.awaitOne(record -> session.equals(record.key()), SPOKEN).value());
            assertThat(failed.payload()).isInstanceOfSatisfying(AgentSpeechFailed.class,
                    f -> assertThat(f.itemId()).as("the reply after the bad records").isEqualTo("item_7"));
            // the DLQ keeps the partition's order: the unknown record, sent first, would be there before the garbage
            parked.awaitOne(record -> session.equals(record.key()), SPOKEN);
            assertThat(parked.all().stream().filter(record -> session.equals(record.key())))
                    .singleElement().satisfies(record -> assertThat(record.value()).isEqualTo(garbage));
        }
    }

    private void streamReply(String tenant, String session, String responseId, String itemId) {
        streamReply(tenant, session, new AgentResponseCreated(responseId), itemId);
    }

    private void streamReply(String tenant, String session, AgentResponseCreated created, String itemId) {
        String responseId = created.responseId();
        send(tenant, session, created);
        for (String delta : List.of("Sure, your car ", "is booked for Tues", "day at nine in the morning.",
                " We will", " see you then!")) {
            send(tenant, session, new AgentTextDelta(responseId, itemId, delta));
        }
        send(tenant, session, new AgentTextDone(responseId, itemId, TEXT));
        send(tenant, session, new AgentResponseDone(responseId, "completed", TEXT));
    }

    private void send(String tenant, String session, AgentReplyEvent payload) {
        kafka.send(Topics.AGENT_REPLIES, session, EventCodec.encode(event(tenant, session, payload)), Map.of());
    }

    private static Event<AgentReplyEvent> event(String tenant, String session, AgentReplyEvent payload) {
        return Event.of(UUID.randomUUID(), tenant, session, 1, Instant.now(), "coaching-service", payload);
    }

    private static AgentAudioDone awaitDone(KafkaTestClient.TopicReader speech, String session) {
        return speech.awaitOne(record -> session.equals(record.key())
                        && EventTypes.AGENT_AUDIO_DONE.equals(record.envelope().type()), SPOKEN).envelope()
                .payloadAs(AgentAudioDone.class);
    }

    private static List<AgentAudioDelta> audio(KafkaTestClient.TopicReader speech, String session) {
        return speech.envelopes(session, EventTypes.AGENT_AUDIO_DELTA).stream()
                .map(envelope -> envelope.payloadAs(AgentAudioDelta.class))
                .sorted(Comparator.comparingInt(AgentAudioDelta::chunk)).toList();
    }

    private static List<UUID> ids(KafkaTestClient.TopicReader speech, String session) {
        return speech.all().stream().filter(record -> session.equals(record.key()))
                .map(record -> record.envelope().eventId()).toList();
    }

    private static int peak(String base64) {
        byte[] pcm = Base64.getDecoder().decode(base64);
        int peak = 0;
        for (int i = 0; i + 1 < pcm.length; i += 2) {
            peak = Math.max(peak, Math.abs((short) ((pcm[i] & 0xff) | (pcm[i + 1] << 8))));
        }
        return peak;
    }
}
