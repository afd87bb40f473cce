package io.voicecoach.transcription.audio;

import io.voicecoach.events.Event;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** A channel emitter without a broker: hands every message to {@code sent} and acknowledges it at once. */
final class RecordingEmitter implements Emitter<Event<?>> {

    private final Consumer<Message<? extends Event<?>>> sent;

    RecordingEmitter(Consumer<Message<? extends Event<?>>> sent) {
        this.sent = sent;
    }

    @Override
    public CompletionStage<Void> send(Event<?> payload) {
        sent.accept(Message.of(payload));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public <M extends Message<? extends Event<?>>> void send(M message) {
        sent.accept(message);
        message.ack();
    }

    @Override
    public void complete() {
    }

    @Override
    public void error(Exception e) {
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public boolean hasRequests() {
        return true;
    }
}
