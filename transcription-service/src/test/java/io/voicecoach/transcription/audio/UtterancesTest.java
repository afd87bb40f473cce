package io.voicecoach.transcription.audio;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventCodec;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import io.voicecoach.events.TranscriptFailed;
import io.voicecoach.transcription.session.SessionStates;
import io.voicecoach.transcription.stt.EngineSelector;
import io.voicecoach.transcription.stt.ScriptedEngine;
import io.voicecoach.transcription.stt.TestSttConfig;
import io.voicecoach.transcription.transcript.TranscriptPublisher;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Utterances without the broker: which utterance a chunk finalizes, which records are acknowledged, and what a revoked
 * partition leaves behind. The published envelopes are acknowledged by a recording emitter at once.
 */
class UtterancesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SESSION = "sess_unit";

    private final List<Envelope> published = new CopyOnWriteArrayList<>();
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final SessionStates sessions = new SessionStates(Duration.ofMinutes(10), 100, System::nanoTime);
    private final PartitionLease lease = new PartitionLease(0);
    private final java.util.concurrent.ExecutorService workers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    private Utterances utterances;

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    @Test
    void aNewerUtteranceOnATrackFinalizesTheOneWhoseCommitNeverCameAndLeavesTheOtherTrackAlone() {
        utterances = utterances(Map.of());
        send(lease, SESSION, Track.CUSTOMER, "item_1", 0, false);
        send(lease, SESSION, Track.CUSTOMER, "item_1", 160, false);
        send(lease, SESSION, Track.AGENT, "item_a", 0, false);

        send(lease, SESSION, Track.CUSTOMER, "item_2", 2000, false);

        var orphan = awaitFinal("item_1");
        assertThat(orphan.eventId()).isEqualTo(TranscriptPublisher.eventId(SESSION, "item_1", true, 0));
        assertThat(orphan.payloadAs(Transcript.class).text()).isEqualTo("heard 2 chunks done");
        assertThat(orphan.payloadAs(Transcript.class).endMs()).isEqualTo(320);
        await().atMost(WAIT).until(() -> acked.containsAll(List.of("item_1@0", "item_1@160")));
        assertThat(utterances.openUtterance(SESSION, Track.CUSTOMER)).hasValue("item_2");
        assertThat(utterances.openUtterance(SESSION, Track.AGENT)).hasValue("item_a");
        assertThat(acked).doesNotContain("item_a@0", "item_2@2000");
    }

    @Test
    void anUtteranceWithoutAChunkForTheIdleTimeoutIsFinalized() {
        utterances = utterances(Map.of("voicecoach.stt.idle-timeout", "PT0.2S"));
        send(lease, SESSION, Track.AGENT, "item_1", 0, false);

        var fin = await().atMost(WAIT).until(() -> { // the scheduler's sweep, by hand
            utterances.finalizeIdle();
            return published.stream().filter(e -> e.type().equals(EventTypes.TRANSCRIPT_FINAL)).findFirst();
        }, java.util.Optional::isPresent).orElseThrow();
        assertThat(fin.payloadAs(Transcript.class).text()).isEqualTo("heard 1 chunks done");
        await().atMost(WAIT).until(() -> acked.contains("item_1@0"));
        assertThat(utterances.openUtterances()).isZero();
    }

    @Test
    void theOpenUtterancesOfARevokedPartitionAreAbandonedWithoutPublishingOrAcknowledging() {
        utterances = utterances(Map.of());
        var kept = new PartitionLease(1);
        send(lease, SESSION, Track.CUSTOMER, "item_moved", 0, false);
        send(lease, SESSION, Track.CUSTOMER, "item_moved", 160, false);
        send(kept, "sess_kept", Track.CUSTOMER, "item_kept", 0, false);

        lease.revoke();
        assertThat(utterances.abandonRevoked()).isEqualTo(1);

        assertThat(utterances.openUtterance(SESSION, Track.CUSTOMER)).isEmpty();
        assertThat(utterances.openUtterance("sess_kept", Track.CUSTOMER)).hasValue("item_kept");
        send(kept, "sess_kept", Track.CUSTOMER, "item_kept", 160, true);
        assertThat(awaitFinal("item_kept").payloadAs(Transcript.class).text()).isEqualTo("heard 2 chunks done");
        await().atMost(WAIT).until(() -> acked.containsAll(List.of("item_kept@0", "item_kept@160")));
        assertThat(published).extracting(e -> e.payloadAs(Transcript.class).utteranceId()).doesNotContain("item_moved");
        // only its first record held the offset back; the new owner reads the utterance again from there
        assertThat(acked).doesNotContain("item_moved@0").contains("item_moved@160");
    }

    @Test
    void anUtteranceFinishingWhenItsPartitionIsRevokedStillPublishesButLeavesItsRecordsUnacknowledged() {
        utterances = utterances(Map.of("voicecoach.stt.finish-timeout", "PT0.5S"));
        send(lease, SESSION, Track.AGENT, "stuck-1", 0, true); // the scripted engine never finishes it

        lease.revoke();
        assertThat(utterances.abandonRevoked()).isZero(); // it was no longer open, only finishing

        var failed = await().atMost(WAIT).until(() -> published.stream()
                .filter(e -> e.type().equals(EventTypes.TRANSCRIPT_FAILED)).findFirst(), java.util.Optional::isPresent).orElseThrow();
        assertThat(failed.payloadAs(TranscriptFailed.class).utteranceId()).isEqualTo("stuck-1");
        assertThat(failed.eventId()).isEqualTo(TranscriptPublisher.failureId(SESSION, "stuck-1"));
        assertThat(acked).isEmpty();
    }

    @Test
    void anOpenUtteranceHoldsOnlyItsFirstRecordWhateverItsLength() {
        utterances = utterances(Map.of());
        for (int i = 0; i < 200; i++) {
            send(lease, SESSION, Track.CUSTOMER, "item_long", i * 160L, false);
        }
        await().atMost(WAIT).until(() -> acked.size() == 199);
        assertThat(acked).doesNotContain("item_long@0");
        send(lease, SESSION, Track.CUSTOMER, "item_long", 200 * 160L, true);
        assertThat(awaitFinal("item_long").payloadAs(Transcript.class).text()).isEqualTo("heard 201 chunks done");
        await().atMost(WAIT).until(() -> acked.contains("item_long@0"));
    }

    @Test
    void anUtteranceLongerThanTheMaximumFailsWithoutDecodingTheRest() {
        utterances = utterances(Map.of("voicecoach.stt.max-utterance", "PT1S"));
        for (int i = 0; i < 12; i++) { // 1.92 s of audio: the 7th chunk passes 1 s
            send(lease, SESSION, Track.AGENT, "item_endless", i * 160L, false);
        }
        var failed = await().atMost(WAIT).until(() -> published.stream()
                .filter(e -> e.type().equals(EventTypes.TRANSCRIPT_FAILED)).findFirst(), java.util.Optional::isPresent)
                .orElseThrow();
        assertThat(failed.payloadAs(TranscriptFailed.class).code()).isEqualTo("utterance_too_long");
        assertThat(failed.eventId()).isEqualTo(TranscriptPublisher.failureId(SESSION, "item_endless"));
        assertThat(utterances.openUtterance(SESSION, Track.AGENT)).isEmpty();
        assertThat(sessions.refused(SESSION, "item_endless")).isTrue();
        await().atMost(WAIT).until(() -> acked.size() == 12); // the later chunks are dropped, acknowledged
        assertThat(published).filteredOn(e -> e.type().equals(EventTypes.TRANSCRIPT_FINAL)).isEmpty();
    }

    @Test
    void theRecordAgeLimitMustExceedTheLongestUtteranceAndIdleAndFinishTime() {
        var config = TestSttConfig.of(Map.of("voicecoach.stt.idle-timeout", "PT30S", "voicecoach.stt.finish-timeout", "PT15S"));
        assertThatThrownBy(() -> Utterances.requireConsistent(config, 45_000))
                .hasMessageContaining("unprocessed-record-max-age.ms=45000").hasMessageContaining("105000 ms");
        Utterances.requireConsistent(config, 120_000);
        Utterances.requireConsistent(config, 0); // the check is off
    }

    private Utterances utterances(Map<String, String> properties) {
        var all = new HashMap<>(Map.of("voicecoach.stt.idle-timeout", "PT1H", "voicecoach.stt.partials", "false"));
        all.putAll(properties);
        var config = TestSttConfig.of(all);
        var engines = new EngineSelector(List.of(new ScriptedEngine()), config);
        var publisher = new TranscriptPublisher(new RecordingEmitter(
                message -> published.add(EventJson.decode(EventCodec.encode(message.getPayload())))), "test");
        return new Utterances(new Decodings(engines, config), new EngineRefusals(sessions, engines, publisher), sessions,
                publisher, config, new SimpleMeterRegistry(), 0, workers,
                new UtteranceTraces(io.opentelemetry.api.OpenTelemetry.noop().getTracer("test")));
    }

    private void send(PartitionLease lease, String session, String track, String utterance, long offsetMs, boolean commit) {
        var chunk = new AudioChunk("acme", session, track, utterance, offsetMs, Instant.now(), commit, UtteranceSettings.NONE,
                new byte[Chunks.CHUNK_BYTES]);
        String name = utterance + "@" + offsetMs;
        utterances.accept(chunk, lease, Message.of(name, () -> {
            acked.add(name);
            return CompletableFuture.completedFuture(null);
        }));
    }

    private Envelope awaitFinal(String utterance) {
        return await().atMost(WAIT).until(() -> published.stream()
                .filter(e -> e.type().equals(EventTypes.TRANSCRIPT_FINAL))
                .filter(e -> utterance.equals(e.payloadAs(Transcript.class).utteranceId())).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
    }

    /** Takes every event as published by the broker at once (kept as the untyped envelope older code reads). */
}
