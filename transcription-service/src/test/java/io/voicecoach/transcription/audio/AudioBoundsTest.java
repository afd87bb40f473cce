package io.voicecoach.transcription.audio;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.devstack.SharedInfrastructure;
import io.voicecoach.events.AudioHeaders;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import io.voicecoach.events.TranscriptFailed;
import io.voicecoach.transcription.session.SessionStates;
import io.voicecoach.transcription.stt.EngineStubsResource;
import io.voicecoach.transcription.stt.SttConfig;
import io.voicecoach.transcription.transcript.TranscriptPublisher;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bounded work per session through the real broker: an utterance that never ends fails {@code utterance_too_long} at
 * {@code max-utterance}, audio sent at 100 x real time fails {@code audio_rate_exceeded}; in both cases the later
 * chunks are dropped, the utterance holds no records, the committed offsets reach the end of the partition, and the
 * session can go on at real-time pace.
 */
@QuarkusTest
@QuarkusTestResource(DevstackTestResource.class)
@QuarkusTestResource(EngineStubsResource.class)
class AudioBoundsTest {

    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final int CHUNK_MS = 160;

    @Inject
    SttConfig config;

    @Inject
    Utterances utterances;

    @Inject
    SessionStates sessions;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void audioAtAHundredTimesRealTimeIsRefusedAndTheOffsetsMoveOn() throws Exception {
        String session = "sess_" + UUID.randomUUID();
        var start = Instant.now();
        // 64 s of audio received within 0.64 s (100 x real time), no commit: the rate allows 4 x plus a 30 s burst
        int chunks = 400;
        try (var transcripts = kafka.read(Topics.TRANSCRIPTS)) {
            for (int i = 0; i < chunks; i++) {
                send(session, "item_flood", i * CHUNK_MS, start.plusMillis(i * CHUNK_MS / 100), false);
            }
            var failed = transcripts.awaitOne(r -> isType(r, session, EventTypes.TRANSCRIPT_FAILED), WAIT).envelope();
            assertThat(failed.eventId()).isEqualTo(TranscriptPublisher.failureId(session, "item_flood"));
            assertThat(failed.payloadAs(TranscriptFailed.class)).satisfies(f -> {
                assertThat(f.code()).isEqualTo("audio_rate_exceeded");
                assertThat(f.utteranceId()).isEqualTo("item_flood");
                assertThat(f.track()).isEqualTo(Track.CUSTOMER);
            });
            assertOffsetsCommittedPast(session);
            assertThat(utterances.openUtterance(session, Track.CUSTOMER)).isEmpty();
            assertThat(sessions.refused(session, "item_flood")).isTrue();

            // a minute later (received time) the session speaks at real-time pace again and is transcribed
            var later = start.plusSeconds(60);
            for (int i = 0; i < 3; i++) {
                send(session, "item_calm", 70_000 + i * CHUNK_MS, later.plusMillis(i * CHUNK_MS), i == 2);
            }
            var fin = transcripts.awaitOne(r -> isType(r, session, EventTypes.TRANSCRIPT_FINAL), WAIT).envelope();
            assertThat(fin.payloadAs(Transcript.class).utteranceId()).isEqualTo("item_calm");
            assertThat(transcripts.envelopes(session, EventTypes.TRANSCRIPT_FAILED)).hasSize(1);
            assertThat(transcripts.envelopes(session, EventTypes.TRANSCRIPT_FINAL)).hasSize(1);
        }
    }

    @Test
    void anUtteranceThatNeverEndsFailsAtTheMaximumLengthAndItsLaterChunksAreDropped() throws Exception {
        String session = "sess_" + UUID.randomUUID();
        var start = Instant.now();
        long maxMs = config.maxUtterance().toMillis();
        int chunks = (int) (maxMs / CHUNK_MS) + 60; // ~10 s past the limit, received at real-time pace
        try (var transcripts = kafka.read(Topics.TRANSCRIPTS)) {
            for (int i = 0; i < chunks; i++) {
                send(session, "item_endless", i * CHUNK_MS, start.plusMillis((long) i * CHUNK_MS), false);
            }
            var failed = transcripts.awaitOne(r -> isType(r, session, EventTypes.TRANSCRIPT_FAILED), WAIT).envelope();
            assertThat(failed.payloadAs(TranscriptFailed.class)).satisfies(f -> {
                assertThat(f.code()).isEqualTo("utterance_too_long");
                assertThat(f.utteranceId()).isEqualTo("item_endless");
                assertThat(f.message()).contains(config.maxUtterance().toSeconds() + " s");
            });
            assertOffsetsCommittedPast(session);
            assertThat(utterances.openUtterance(session, Track.CUSTOMER)).isEmpty();
            assertThat(transcripts.envelopes(session, EventTypes.TRANSCRIPT_FINAL)).isEmpty();
            assertThat(transcripts.envelopes(session, EventTypes.TRANSCRIPT_FAILED)).hasSize(1);
        }
    }

    private void send(String session, String utterance, long offsetMs, Instant receivedAt, boolean commit) {
        var headers = new HashMap<String, String>();
        headers.put(AudioHeaders.TENANT_ID, "scripted");
        headers.put(AudioHeaders.SESSION_ID, session);
        headers.put(AudioHeaders.TRACK, Track.CUSTOMER);
        headers.put(AudioHeaders.EVENT_ID, UUID.randomUUID().toString());
        headers.put(AudioHeaders.UTTERANCE_ID, utterance);
        headers.put(AudioHeaders.OFFSET_MS, Long.toString(offsetMs));
        headers.put(AudioHeaders.RECEIVED_AT, receivedAt.toString());
        headers.put(AudioHeaders.COMMIT, Boolean.toString(commit));
        kafka.send(Topics.AUDIO, session, new byte[Chunks.CHUNK_BYTES], headers);
    }

    /** The service's committed offset on the session's partition reaches what was produced until now. */
    private static void assertOffsetsCommittedPast(String session) throws Exception {
        try (var admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedInfrastructure.kafka().bootstrapServers()))) {
            int count = admin.describeTopics(java.util.List.of(Topics.AUDIO)).allTopicNames().get().get(Topics.AUDIO)
                    .partitions().size();
            var partition = new TopicPartition(Topics.AUDIO,
                    Utils.toPositive(Utils.murmur2(session.getBytes(StandardCharsets.UTF_8))) % count);
            long end = admin.listOffsets(Map.of(partition, OffsetSpec.latest())).all().get().get(partition).offset();
            await().atMost(WAIT).untilAsserted(() -> {
                var committed = admin.listConsumerGroupOffsets("transcription-service").partitionsToOffsetAndMetadata()
                        .get().get(partition);
                assertThat(committed).as("committed offset of %s", partition).isNotNull();
                assertThat(committed.offset()).as("committed offset of %s", partition).isGreaterThanOrEqualTo(end);
            });
        }
    }

    private static boolean isType(KafkaTestClient.Received r, String session, String type) {
        return r.envelope() != null && session.equals(r.envelope().sessionId()) && type.equals(r.envelope().type());
    }
}
