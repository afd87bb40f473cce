package io.voicecoach.gateway.session;

import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code session.started} is published once, and what waited for it goes on in the order it was asked. */
class PublicationTest {

    private final Publication publication = new Publication();
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final AtomicInteger published = new AtomicInteger();
    private final AtomicInteger acknowledged = new AtomicInteger();

    private Uni<Void> startOnce(CompletableFuture<Void> ack) {
        return publication.startOnce(() -> {
            published.incrementAndGet();
            return Uni.createFrom().completionStage(ack);
        }, acknowledged::incrementAndGet);
    }

    private void sendAfterStart(CompletableFuture<Void> ack, String event) {
        startOnce(ack).subscribe().with(ok -> sent.add(event), failure -> sent.add("failed " + event));
    }

    @Test
    void eventsAskedForBeforeTheStartWasAcknowledgedGoOutInTheOrderAsked() {
        var ack = new CompletableFuture<Void>();
        for (String event : List.of("receipt 1", "session.updated", "receipt 2", "response.requested")) {
            sendAfterStart(ack, event);
        }
        assertThat(sent).isEmpty();

        ack.complete(null);
        sendAfterStart(ack, "after the start");

        assertThat(sent).containsExactly("receipt 1", "session.updated", "receipt 2", "response.requested",
                "after the start");
        assertThat(published).hasValue(1);
        assertThat(acknowledged).hasValue(1);
        assertThat(publication.startAcknowledged()).isTrue();
    }

    @Test
    void aFailedStartFailsItsWaitersAndTheNextCallerStartsAgain() {
        var refused = new CompletableFuture<Void>();
        sendAfterStart(refused, "receipt 1");
        sendAfterStart(refused, "receipt 2");

        refused.completeExceptionally(new IllegalStateException("broker down"));
        var ack = new CompletableFuture<Void>();
        sendAfterStart(ack, "receipt 3");
        ack.complete(null);

        assertThat(sent).containsExactly("failed receipt 1", "failed receipt 2", "receipt 3");
        assertThat(published).hasValue(2);
        assertThat(acknowledged).hasValue(1);
    }

    @Test
    void aSessionStartedBeforeATakeoverIsNotStartedAgain() {
        var restored = new Publication(7, true, null);

        restored.startOnce(() -> {
            published.incrementAndGet();
            return Uni.createFrom().voidItem();
        }, acknowledged::incrementAndGet).subscribe().with(ok -> sent.add("receipt"));

        assertThat(sent).containsExactly("receipt");
        assertThat(published).hasValue(0);
        assertThat(restored.nextSeq()).isEqualTo(8);
    }
}
