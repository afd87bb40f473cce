package io.voicecoach.transcription.transcript;

import io.voicecoach.events.Event;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Transcript;
import io.voicecoach.events.TranscriptEvent;
import io.voicecoach.events.TranscriptFailed;
import io.voicecoach.platform.events.EventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Publishes transcripts to {@code voice.transcripts}, keyed by session. Event ids derive from (session, utterance,
 * kind, index), so an utterance recognised again after a crash or rebalance carries the ids it had the first
 * time and consumers drop the repeat.
 */
@ApplicationScoped
public class TranscriptPublisher {

    private final EventPublisher<TranscriptEvent> transcripts;

    public TranscriptPublisher(@Channel("transcripts") Emitter<Event<?>> transcripts,
                               @ConfigProperty(name = "quarkus.application.name") String producer) {
        this.transcripts = new EventPublisher<>(Topics.TRANSCRIPTS, transcripts, producer);
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
        return publish(tenantId, sessionId, seq, eventId(sessionId, transcript.utteranceId(), transcript.isFinal(),
                partialIndex), transcript);
    }

    /** A {@code transcript.failed}; completes when the broker has acknowledged it. */
    public CompletionStage<Void> publishFailure(String tenantId, String sessionId, long seq, UUID eventId, TranscriptFailed failure) {
        return publish(tenantId, sessionId, seq, eventId, failure);
    }

    private CompletionStage<Void> publish(String tenantId, String sessionId, long seq, UUID eventId, TranscriptEvent payload) {
        return transcripts.publish(tenantId, sessionId, seq, eventId, payload).thenApply(sent -> null);
    }
}
