package io.voicecoach.transcription.transcript;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.Transcript;
import io.voicecoach.events.TranscriptFailed;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Publishes transcripts to {@code voice.transcripts}, keyed by session. Event ids derive from (session, utterance,
 * kind, index), so an utterance recognised again after a crash or rebalance carries the ids it had the first
 * time and consumers drop the repeat.
 */
@ApplicationScoped
public class TranscriptPublisher {

    private final Emitter<String> transcripts;
    private final String producer;

    public TranscriptPublisher(@Channel("transcripts") Emitter<String> transcripts,
                               @ConfigProperty(name = "quarkus.application.name") String producer) {
        this.transcripts = transcripts;
        this.producer = producer;
    }

    public static UUID eventId(String sessionId, String utteranceId, boolean isFinal, int partialIndex) {
        String name = sessionId + "/" + utteranceId + "/" + (isFinal ? "final" : "partial/" + partialIndex);
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    /** Id of the {@code transcript.failed} of an utterance, or of a session-level failure keyed by {@code reason}. */
    public static UUID failureId(String sessionId, String utteranceIdOrReason) {
        return UUID.nameUUIDFromBytes((sessionId + "/" + utteranceIdOrReason + "/failed").getBytes(StandardCharsets.UTF_8));
    }

    /** Completes when the broker has acknowledged the record. */
    public CompletionStage<Void> publish(String tenantId, String sessionId, long seq, Transcript transcript, int partialIndex) {
        return publish(new Envelope(eventId(sessionId, transcript.utteranceId(), transcript.isFinal(), partialIndex),
                transcript.isFinal() ? EventTypes.TRANSCRIPT_FINAL : EventTypes.TRANSCRIPT_PARTIAL,
                Envelope.SCHEMA_VERSION, tenantId, sessionId, seq, Instant.now(), producer, EventJson.tree(transcript)));
    }

    /** A {@code transcript.failed}; completes when the broker has acknowledged it. */
    public CompletionStage<Void> publishFailure(String tenantId, String sessionId, long seq, UUID eventId, TranscriptFailed failure) {
        return publish(new Envelope(eventId, EventTypes.TRANSCRIPT_FAILED, Envelope.SCHEMA_VERSION, tenantId, sessionId, seq,
                Instant.now(), producer, EventJson.tree(failure)));
    }

    private CompletionStage<Void> publish(Envelope envelope) {
        String sessionId = envelope.sessionId();
        var sent = new CompletableFuture<Void>();
        try {
            send(sessionId, envelope, sent);
        } catch (RuntimeException overflowOrClosed) {
            sent.completeExceptionally(overflowOrClosed);
        }
        return sent;
    }

    private void send(String sessionId, Envelope envelope, CompletableFuture<Void> sent) {
        transcripts.send(Message.of(EventJson.encode(envelope),
                Metadata.of(OutgoingKafkaRecordMetadata.<String>builder().withKey(sessionId).build()),
                () -> {
                    sent.complete(null);
                    return CompletableFuture.completedFuture(null);
                },
                failure -> {
                    sent.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                }));
    }
}
