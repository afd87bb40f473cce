package io.voicecoach.transcription.audio;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.devstack.KafkaTestClient.Received;
import io.voicecoach.events.AudioHeaders;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import io.voicecoach.transcription.stt.OpenAiStub.Answer;
import io.voicecoach.transcription.stt.EngineStubsResource;
import io.voicecoach.transcription.transcript.TranscriptPublisher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** voice.audio -> engine -> voice.transcripts through the real broker, with the scripted and openai-compatible engines. */
@QuarkusTest
@QuarkusTestResource(DevstackTestResource.class)
@QuarkusTestResource(EngineStubsResource.class)
class TranscriptionPipelineTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void aCommittedUtteranceBecomesPartialsAndOneFinalWithOffsetsAndTheLastChunksReceivedAt() {
        String session = "sess_" + UUID.randomUUID();
        try (var transcripts = kafka.read(Topics.TRANSCRIPTS)) {
            var lastReceived = Chunks.sendUtterance(kafka, "scripted", session, Track.CUSTOMER, "item_1", 2000,
                    new byte[Chunks.CHUNK_BYTES * 3], true);

            var fin = transcripts.awaitOne(r -> isType(r, session, EventTypes.TRANSCRIPT_FINAL), WAIT);
            assertThat(fin.key()).isEqualTo(session);
            assertThat(fin.envelope().tenantId()).isEqualTo("scripted");
            assertThat(fin.envelope().producer()).isEqualTo("transcription-service");
            assertThat(fin.envelope().eventId()).isEqualTo(TranscriptPublisher.eventId(session, "item_1", true, 0));
            var transcript = fin.envelope().payloadAs(Transcript.class);
            assertThat(transcript.utteranceId()).isEqualTo("item_1");
            assertThat(transcript.track()).isEqualTo(Track.CUSTOMER);
            assertThat(transcript.isFinal()).isTrue();
            assertThat(transcript.text()).startsWith("heard 3 chunks done").contains("Acme Cloud");
            assertThat(transcript.startMs()).isEqualTo(2000);
            assertThat(transcript.endMs()).isEqualTo(2480);
            assertThat(transcript.confidence()).isEqualTo(0.75);
            assertThat(transcript.engine()).isEqualTo("scripted");
            assertThat(transcript.receivedAt()).isEqualTo(lastReceived);

            var partials = transcripts.envelopes(session, EventTypes.TRANSCRIPT_PARTIAL);
            assertThat(partials).isNotEmpty();
            assertThat(partials.getFirst().payloadAs(Transcript.class).isFinal()).isFalse();
            assertThat(partials.getFirst().eventId()).isEqualTo(TranscriptPublisher.eventId(session, "item_1", false, 1));
        }
    }

    @Test
    void aReplayedUtteranceIsPublishedWithTheSameEventIds() {
        String session = "sess_" + UUID.randomUUID();
        try (var transcripts = kafka.read(Topics.TRANSCRIPTS)) {
            Chunks.sendUtterance(kafka, "scripted", session, Track.AGENT, "item_7", 0, new byte[Chunks.CHUNK_BYTES * 2], true);
            transcripts.awaitOne(r -> isType(r, session, EventTypes.TRANSCRIPT_FINAL), WAIT);
            // what a redelivery after a crash looks like: the same chunks again
            Chunks.sendUtterance(kafka, "scripted", session, Track.AGENT, "item_7", 0, new byte[Chunks.CHUNK_BYTES * 2], true);

            var finals = transcripts.await(r -> isType(r, session, EventTypes.TRANSCRIPT_FINAL), 2, WAIT);
            assertThat(finals).extracting(r -> r.envelope().eventId()).containsOnly(TranscriptPublisher.eventId(session, "item_7", true, 0));
            var partialIds = transcripts.envelopes(session, EventTypes.TRANSCRIPT_PARTIAL).stream().map(Envelope::eventId).distinct().toList();
            assertThat(partialIds).containsExactlyInAnyOrder(TranscriptPublisher.eventId(session, "item_7", false, 1),
                    TranscriptPublisher.eventId(session, "item_7", false, 2));
        }
    }

    @Test
    void tracksAndUtterancesOfOneSessionAreRecognisedSeparately() {
        String session = "sess_" + UUID.randomUUID();
        try (var transcripts = kafka.read(Topics.TRANSCRIPTS)) {
            Chunks.sendUtterance(kafka, "scripted", session, Track.AGENT, "item_a", 0, new byte[Chunks.CHUNK_BYTES], false);
            Chunks.sendUtterance(kafka, "scripted", session, Track.CUSTOMER, "item_c", 0, new byte[Chunks.CHUNK_BYTES * 2], true);
            Chunks.sendUtterance(kafka, "scripted", session, Track.AGENT, "item_a", 160, new byte[Chunks.CHUNK_BYTES], true);

            var finals = transcripts.await(r -> isType(r, session, EventTypes.TRANSCRIPT_FINAL), 2, WAIT).stream()
                    .map(r -> r.envelope().payloadAs(Transcript.class)).toList();
            assertThat(finals).extracting(Transcript::utteranceId, Transcript::track, Transcript::startMs, Transcript::endMs)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("item_c", Track.CUSTOMER, 0L, 320L),
                            org.assertj.core.groups.Tuple.tuple("item_a", Track.AGENT, 0L, 320L));
            assertThat(finals).allSatisfy(t -> assertThat(t.text()).startsWith("heard 2 chunks done"));
        }
    }

    @Test
    void anUtteranceWhoseCommitNeverComesIsFinalizedAfterTheIdleTimeout() {
        String session = "sess_" + UUID.randomUUID();
        double before = metric("scripted", "uncommitted");
        try (var transcripts = kafka.read(Topics.TRANSCRIPTS)) {
            var lastReceived = Chunks.sendUtterance(kafka, "scripted", session, Track.AGENT, "item_orphan", 640,
                    new byte[Chunks.CHUNK_BYTES * 2], false);

            // idle-timeout is 10 s in tests
            var fin = transcripts.awaitOne(r -> isType(r, session, EventTypes.TRANSCRIPT_FINAL), WAIT).envelope();
            assertThat(fin.eventId()).isEqualTo(TranscriptPublisher.eventId(session, "item_orphan", true, 0));
            var transcript = fin.payloadAs(Transcript.class);
            assertThat(transcript.text()).isEqualTo("heard 2 chunks done [Acme Cloud]");
            assertThat(transcript.startMs()).isEqualTo(640);
            assertThat(transcript.endMs()).isEqualTo(960);
            assertThat(transcript.receivedAt()).isEqualTo(lastReceived);
            await().atMost(WAIT).until(() -> metric("scripted", "uncommitted") >= before + 1);
        }
    }

    @Test
    void aNewerUtteranceOnTheSameTrackFinalizesTheOneWhoseCommitNeverCame() {
        String session = "sess_" + UUID.randomUUID();
        try (var transcripts = kafka.read(Topics.TRANSCRIPTS)) {
            // the gateway that streamed item_1 died before its commit; the session goes on through another one
            Chunks.sendUtterance(kafka, "scripted", session, Track.CUSTOMER, "item_1", 0, new byte[Chunks.CHUNK_BYTES * 3], false,
                    Chunks.settings(null, null, List.of("Globex")));
            Chunks.sendUtterance(kafka, "scripted", session, Track.CUSTOMER, "item_2", 2000, new byte[Chunks.CHUNK_BYTES], true);

            var finals = transcripts.await(r -> isType(r, session, EventTypes.TRANSCRIPT_FINAL), 2, WAIT).stream()
                    .map(Received::envelope).toList();
            assertThat(finals).extracting(Envelope::eventId).containsExactlyInAnyOrder(
                    TranscriptPublisher.eventId(session, "item_1", true, 0), TranscriptPublisher.eventId(session, "item_2", true, 0));
            assertThat(finals).extracting(e -> e.payloadAs(Transcript.class)).extracting(Transcript::utteranceId, Transcript::text)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple("item_1", "heard 3 chunks done [Acme Cloud, Globex]"),
                            org.assertj.core.groups.Tuple.tuple("item_2", "heard 1 chunks done [Acme Cloud]"));
        }
    }

    @Test
    void aTenantOnTheOpenAiCompatibleEngineGetsTheServersTextWithTheSessionsPhrases() {
        String session = "sess_" + UUID.randomUUID();
        EngineStubsResource.openai.answer(Answer.status(503, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\",\"code\":null}}",
                Map.of()), Answer.text("We already use Globex."));
        try (var transcripts = kafka.read(Topics.TRANSCRIPTS)) {
            Chunks.sendUtterance(kafka, "whisperco", session, Track.CUSTOMER, "item_w", 0, new byte[Chunks.CHUNK_BYTES * 2], true,
                    Chunks.settings(null, "en-GB", List.of("Globex", "Initech")));

            var transcript = transcripts.awaitOne(r -> isType(r, session, EventTypes.TRANSCRIPT_FINAL), WAIT)
                    .envelope().payloadAs(Transcript.class);
            assertThat(transcript.text()).isEqualTo("We already use Globex.");
            assertThat(transcript.engine()).isEqualTo("openai-compatible");
            assertThat(transcript.endMs()).isEqualTo(320);
        }
        var request = EngineStubsResource.openai.received().getLast();
        assertThat(request.field("prompt")).isEqualTo("Globex, Initech");
        assertThat(request.field("language")).isEqualTo("en");
    }

    @Test
    void aChunkWithABrokenOffsetGoesToTheDeadLetterTopic() {
        String session = "sess_" + UUID.randomUUID();
        try (var dlq = kafka.read(Topics.deadLetter(Topics.AUDIO))) {
            kafka.send(Topics.AUDIO, session, new byte[320], Map.of(AudioHeaders.TENANT_ID, "scripted",
                    AudioHeaders.SESSION_ID, session, AudioHeaders.TRACK, Track.AGENT, AudioHeaders.UTTERANCE_ID, "item_x",
                    AudioHeaders.OFFSET_MS, "soon"));
            kafka.send(Topics.AUDIO, session, new byte[320], Map.of(AudioHeaders.TENANT_ID, "scripted",
                    AudioHeaders.SESSION_ID, session, AudioHeaders.TRACK, Track.AGENT, AudioHeaders.UTTERANCE_ID, "item_x",
                    AudioHeaders.RECEIVED_AT, "yesterday"));
            assertThat(dlq.await(r -> session.equals(r.key()), 2, WAIT)).hasSize(2);
        }
    }

    private static boolean isType(KafkaTestClient.Received r, String session, String type) {
        return r.envelope() != null && session.equals(r.envelope().sessionId()) && type.equals(r.envelope().type());
    }

    static double metric(String engine, String outcome) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        var m = Pattern.compile("voicecoach_stt_utterances_total\\{[^}]*engine=\"" + engine + "\"[^}]*outcome=\"" + outcome
                + "\"[^}]*} ([0-9.E+-]+)").matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
