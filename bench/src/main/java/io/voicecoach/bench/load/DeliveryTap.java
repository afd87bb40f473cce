package io.voicecoach.bench.load;

import io.voicecoach.bench.TopicTail;
import io.voicecoach.events.SuggestionDelivered;
import io.voicecoach.events.Topics;
import io.voicecoach.events.kafka.Decoded;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the gateway's {@code suggestion.delivered} receipts from {@code voice.sessions} (from its end, no group):
 * when each suggestion's frame was written to a client WebSocket, the one hop timestamp the client cannot see.
 */
final class DeliveryTap implements AutoCloseable {

    private final Map<String, Instant> deliveredAt = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String problem;

    DeliveryTap(String bootstrap) {
        var consumer = TopicTail.of(bootstrap, Topics.SESSIONS);
        thread = Thread.ofPlatform().daemon().name("delivery-tap").start(() -> {
            try (consumer) {
                while (running) {
                    for (var record : consumer.poll(Duration.ofMillis(200))) {
                        read(record.value());
                    }
                }
            } catch (RuntimeException e) {
                problem = e.toString();
            }
        });
    }

    /** Other records, events or not, are not ours to judge. */
    private void read(String value) {
        if (value != null && Decoded.of(value.getBytes(StandardCharsets.UTF_8)) instanceof Decoded.Valid valid
                && valid.event().payload() instanceof SuggestionDelivered delivered) {
            deliveredAt.merge(delivered.suggestionId(), delivered.deliveredAt(), (a, b) -> a.isBefore(b) ? a : b);
        }
    }

    /** When the suggestion's frame was first written to a client, or null if no receipt was read. */
    Instant deliveredAt(String suggestionId) {
        return deliveredAt.get(suggestionId);
    }

    String problem() {
        return problem;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
