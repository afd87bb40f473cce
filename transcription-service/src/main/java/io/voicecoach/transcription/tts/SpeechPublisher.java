package io.voicecoach.transcription.tts;

import io.voicecoach.events.AgentSpeechEvent;
import io.voicecoach.events.Event;
import io.voicecoach.events.Topics;
import io.voicecoach.platform.events.EventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes a reply's speech on {@code agent.speech}, keyed by session. Event ids derive from session, reply, item and
 * chunk ({@code .../speech/<n>}, {@code .../speech/done}, {@code .../speech/failed}), so speech synthesized again
 * after its partition moved repeats them and consumers drop the repeats. {@code seq} rises per instance (hence per
 * session and producer instance).
 */
@ApplicationScoped
public class SpeechPublisher {

    private final EventPublisher<AgentSpeechEvent> speech;
    private final AtomicLong seq = new AtomicLong(System.currentTimeMillis() * 1000);

    public SpeechPublisher(@Channel("speech") Emitter<Event<?>> speech,
                           @ConfigProperty(name = "quarkus.application.name") String producer) {
        this.speech = new EventPublisher<>(Topics.AGENT_SPEECH, speech, producer);
    }

    public static UUID eventId(String sessionId, String responseId, String itemId, String part) {
        String name = sessionId + "/" + responseId + "/" + itemId + "/speech/" + part;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    /** Completes when the broker acknowledged the record. */
    public CompletionStage<Void> publish(String tenantId, String sessionId, UUID eventId, AgentSpeechEvent payload) {
        return speech.publish(tenantId, sessionId, seq.incrementAndGet(), eventId, payload).thenApply(sent -> null);
    }
}
