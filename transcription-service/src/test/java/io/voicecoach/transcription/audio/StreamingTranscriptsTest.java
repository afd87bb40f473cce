package io.voicecoach.transcription.audio;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import io.voicecoach.events.TranscriptFailed;
import io.voicecoach.transcription.stt.DeepgramStub;
import io.voicecoach.transcription.stt.DeepgramStub.Script;
import io.voicecoach.transcription.stt.EngineStubsResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A streaming engine (deepgram, against its local stub) through the real broker: partials while audio flows, then the final. */
@QuarkusTest
@QuarkusTestResource(DevstackTestResource.class)
@QuarkusTestResource(EngineStubsResource.class)
class StreamingTranscriptsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void deepgramInterimResultsBecomePartialsAndItsFinalsTheFinalTranscript() {
        String session = "sess_" + UUID.randomUUID();
        EngineStubsResource.deepgram.script(Script.says(3, "what is the price", "we already use Globex"));
        try (var transcripts = kafka.read(Topics.TRANSCRIPTS)) {
            // at a live call's pace: a partial needs Deepgram's interim answer to arrive before the next chunk is fed
            // (sent all at once, the service could feed all six chunks before the stub's first answer)
            var receivedAt = Chunks.sendUtteranceLive(kafka, "streamco", session, Track.CUSTOMER, "item_dg", 1000,
                    new byte[Chunks.CHUNK_BYTES * 6]);

            var fin = transcripts.awaitOne(r -> isType(r, session, EventTypes.TRANSCRIPT_FINAL), WAIT).envelope().payloadAs(Transcript.class);
            assertThat(fin.text()).isEqualTo("what is the price we already use Globex");
            assertThat(fin.engine()).isEqualTo("deepgram");
            assertThat(fin.confidence()).isEqualTo(0.95);
            assertThat(fin.track()).isEqualTo(Track.CUSTOMER);
            assertThat(fin.startMs()).isEqualTo(1000);
            assertThat(fin.endMs()).isEqualTo(1960);
            assertThat(fin.receivedAt()).isEqualTo(receivedAt);

            var partials = transcripts.envelopes(session, EventTypes.TRANSCRIPT_PARTIAL).stream()
                    .map(e -> e.payloadAs(Transcript.class)).toList();
            assertThat(partials).isNotEmpty().allSatisfy(p -> {
                assertThat(p.isFinal()).isFalse();
                assertThat(p.engine()).isEqualTo("deepgram");
                assertThat(p.track()).isEqualTo(Track.CUSTOMER);
                assertThat(p.utteranceId()).isEqualTo("item_dg");
                assertThat(p.startMs()).isEqualTo(1000);
                assertThat(p.endMs()).isBetween(1160L, 1960L);
                assertThat(p.confidence()).isBetween(0.5, 1.0);
                assertThat(p.receivedAt()).isNotNull();
                assertThat(fin.text()).startsWith(p.text());
            });
            assertThat(partials).extracting(Transcript::text).doesNotHaveDuplicates();
        }
        var connection = EngineStubsResource.deepgram.connections().getLast();
        assertThat(connection.query()).contains("encoding=linear16&sample_rate=16000&channels=1&interim_results=true&endpointing=");
        assertThat(connection.headers().get("Authorization")).isEqualTo("Token " + DeepgramStub.KEY);
    }

    @Test
    void audioDeepgramRefusesBecomesTranscriptFailedAudioInvalid() {
        String session = "sess_" + UUID.randomUUID();
        EngineStubsResource.deepgram.script(Script.closesWith(1008, "DATA-0000"));
        try (var transcripts = kafka.read(Topics.TRANSCRIPTS)) {
            Chunks.sendUtterance(kafka, "streamco", session, Track.AGENT, "item_bad", 0, new byte[Chunks.CHUNK_BYTES * 3], true);

            Envelope failed = transcripts.awaitOne(r -> isType(r, session, EventTypes.TRANSCRIPT_FAILED), WAIT).envelope();
            var payload = failed.payloadAs(TranscriptFailed.class);
            assertThat(payload.code()).isEqualTo("audio_invalid");
            assertThat(payload.engine()).isEqualTo("deepgram");
            assertThat(payload.utteranceId()).isEqualTo("item_bad");
            assertThat(payload.message()).contains("1008 DATA-0000");
            assertThat(transcripts.envelopes(session, EventTypes.TRANSCRIPT_FINAL)).isEmpty();
        }
    }

    private static boolean isType(KafkaTestClient.Received r, String session, String type) {
        return r.envelope() != null && session.equals(r.envelope().sessionId()) && type.equals(r.envelope().type());
    }
}
