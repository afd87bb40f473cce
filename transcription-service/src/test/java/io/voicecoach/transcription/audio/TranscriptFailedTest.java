package io.voicecoach.transcription.audio;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.devstack.SharedInfrastructure;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import io.voicecoach.events.TranscriptFailed;
import io.voicecoach.transcription.stt.OpenAiStub.Answer;
import io.voicecoach.transcription.stt.EngineStubsResource;
import io.voicecoach.transcription.transcript.TranscriptPublisher;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Engine failures and stuck engines become transcript.failed, and their audio offsets are still committed. */
@QuarkusTest
@QuarkusTestResource(DevstackTestResource.class)
@QuarkusTestResource(EngineStubsResource.class)
class TranscriptFailedTest {

    private static final Duration WAIT = Duration.ofSeconds(45);
    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void aStuckEngineAndAFailingEngineGiveTranscriptFailedAndTheSessionGoesOn() {
        String session = "sess_" + UUID.randomUUID();
        double timeoutsBefore = TranscriptionPipelineTest.metric("scripted", "timeout");
        try (var transcripts = kafka.read(Topics.TRANSCRIPTS)) {
            long started = System.nanoTime();
            Chunks.sendUtterance(kafka, "scripted", session, Track.CUSTOMER, "stuck-1", 0, new byte[Chunks.CHUNK_BYTES], true);
            Chunks.sendUtterance(kafka, "scripted", session, Track.AGENT, "hang-1", 0, new byte[Chunks.CHUNK_BYTES * 2], true);
            Chunks.sendUtterance(kafka, "scripted", session, Track.CUSTOMER, "boom-1", 160, new byte[Chunks.CHUNK_BYTES], true);
            Chunks.sendUtterance(kafka, "scripted", session, Track.CUSTOMER, "item_ok", 320, new byte[Chunks.CHUNK_BYTES], true);

            var failures = transcripts.await(r -> isType(r, session, EventTypes.TRANSCRIPT_FAILED), 3, WAIT).stream()
                    .collect(Collectors.toMap(r -> r.envelope().payloadAs(TranscriptFailed.class).utteranceId(), r -> r));
            // finish-timeout is 15 s in tests: the stuck calls were cut off by it, not by the test's wait
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(40));

            var stuck = failures.get("stuck-1").envelope();
            assertThat(stuck.eventId()).isEqualTo(TranscriptPublisher.failureId(session, "stuck-1"));
            assertThat(stuck.tenantId()).isEqualTo("scripted");
            assertThat(stuck.payloadAs(TranscriptFailed.class)).satisfies(f -> {
                assertThat(f.code()).isEqualTo("engine_timeout");
                assertThat(f.track()).isEqualTo(Track.CUSTOMER);
                assertThat(f.engine()).isEqualTo("scripted");
                assertThat(f.message()).contains("PT15S");
            });
            assertThat(failures.get("hang-1").envelope().payloadAs(TranscriptFailed.class))
                    .extracting(TranscriptFailed::code, TranscriptFailed::track).containsExactly("engine_timeout", Track.AGENT);
            assertThat(failures.get("boom-1").envelope().payloadAs(TranscriptFailed.class))
                    .extracting(TranscriptFailed::code, TranscriptFailed::message).containsExactly("engine_error", "engine_error: scripted failure");

            var fin = transcripts.awaitOne(r -> isType(r, session, EventTypes.TRANSCRIPT_FINAL), WAIT);
            assertThat(fin.envelope().payloadAs(Transcript.class).utteranceId()).isEqualTo("item_ok");
            await().atMost(WAIT).until(() -> TranscriptionPipelineTest.metric("scripted", "timeout") >= timeoutsBefore + 2);
            assertThat(transcripts.envelopes(session, EventTypes.TRANSCRIPT_FINAL)).hasSize(1);
        }
        assertAudioOffsetsCommitted();
    }

    @Test
    void aServerThatRefusesTheAudioGivesTranscriptFailedWithItsMessage() {
        String session = "sess_" + UUID.randomUUID();
        EngineStubsResource.openai.answer(Answer.status(400,
                "{\"error\":{\"message\":\"Invalid file format.\",\"type\":\"invalid_request_error\",\"code\":\"invalid_value\"}}", Map.of()));
        try (var transcripts = kafka.read(Topics.TRANSCRIPTS)) {
            Chunks.sendUtterance(kafka, "whisperco", session, Track.CUSTOMER, "item_bad", 0, new byte[Chunks.CHUNK_BYTES], true);

            var failed = transcripts.awaitOne(r -> isType(r, session, EventTypes.TRANSCRIPT_FAILED), WAIT)
                    .envelope().payloadAs(TranscriptFailed.class);
            assertThat(failed.code()).isEqualTo("engine_error");
            assertThat(failed.engine()).isEqualTo("openai-compatible");
            assertThat(failed.message()).startsWith("engine_rejected: ").contains("400", "Invalid file format.");
            assertThat(transcripts.envelopes(session, EventTypes.TRANSCRIPT_FINAL)).isEmpty();
        }
    }

    /** Every voice.audio record produced so far is behind the service's committed offsets: nothing is replayed. */
    private static void assertAudioOffsetsCommitted() {
        try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafka().bootstrapServers()))) {
            var partitions = admin.describeTopics(java.util.List.of(Topics.AUDIO)).allTopicNames().get().get(Topics.AUDIO)
                    .partitions().stream().map(p -> new TopicPartition(Topics.AUDIO, p.partition())).toList();
            var ends = admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                    .all().get();
            await().atMost(WAIT).untilAsserted(() -> {
                var committed = admin.listConsumerGroupOffsets("transcription-service").partitionsToOffsetAndMetadata().get();
                for (var partition : partitions) {
                    long end = ends.get(partition).offset();
                    if (end > 0) {
                        assertThat(committed.get(partition)).as("committed offset of %s", partition).isNotNull();
                        assertThat(committed.get(partition).offset()).as("committed offset of %s", partition).isGreaterThanOrEqualTo(end);
                    }
                }
            });
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static boolean isType(KafkaTestClient.Received r, String session, String type) {
        return r.envelope() != null && session.equals(r.envelope().sessionId()) && type.equals(r.envelope().type());
    }
}
