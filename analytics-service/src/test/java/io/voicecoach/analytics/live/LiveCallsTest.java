package io.voicecoach.analytics.live;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEventSink;
import org.jboss.resteasy.reactive.server.jaxrs.SseImpl;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Live viewers whose connections close while events are broadcast. */
class LiveCallsTest {

    private final LiveCalls calls = new LiveCalls(new LiveConfig() {
        @Override
        public Duration idleTimeout() {
            return Duration.ofMinutes(15);
        }

        @Override
        public Duration heartbeat() {
            return Duration.ofSeconds(15);
        }

        @Override
        public String instanceId() {
            return "test";
        }
    });

    @Test
    void aViewerWhoseConnectionClosedMidBroadcastIsDroppedAndTheOthersGetEveryEvent() {
        var closing = new Sink();
        var watching = new Sink();
        calls.subscribe("demo", closing, SseImpl.INSTANCE);
        calls.subscribe("demo", watching, SseImpl.INSTANCE);
        // the client went away: the sink still says open, but the next send throws "Already closed"
        closing.closedUnnoticed = true;

        var now = Instant.now();
        for (int i = 0; i < 3; i++) {
            calls.apply(LiveUpdate.started("demo", "sess_" + i, now, "call_" + i, "rep_7"));
        }

        assertThat(watching.names()).containsExactly("ready", "session.started", "session.started", "session.started");
        assertThat(closing.attempts).as("dropped after its first failed send").isEqualTo(2);
    }

    /** A sink that records what it was sent, or throws as a sink closed under it does. */
    private static final class Sink implements SseEventSink {
        final List<OutboundSseEvent> sent = new CopyOnWriteArrayList<>();
        volatile boolean closedUnnoticed;
        int attempts;

        @Override
        public boolean isClosed() {
            return false;
        }

        @Override
        public CompletionStage<?> send(OutboundSseEvent event) {
            attempts++;
            if (closedUnnoticed) {
                throw new IllegalStateException("Already closed");
            }
            sent.add(event);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
        }

        List<String> names() {
            return sent.stream().map(OutboundSseEvent::getName).toList();
        }
    }
}
