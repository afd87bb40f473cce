package io.voicecoach.bench.gateway;

import io.voicecoach.events.AudioHeaders;
import io.voicecoach.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * Reads {@code voice.audio} and measures, per record, the time from the gateway receiving the frame that completed the
 * chunk ({@code vc-received-at}) to the record being on the topic (its LogAppendTime, when the topic is configured so)
 * and to this consumer reading it. Only records whose frame arrived inside the open window count.
 */
final class AudioLatency implements AutoCloseable {

    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean positioned;
    private final Object lock = new Object();
    private Instant windowStart = Instant.MAX;
    private Instant windowEnd = Instant.MAX;
    private long[] toTopicUs = new long[1 << 16];
    private long[] toConsumerUs = new long[1 << 16];
    private int count;
    private volatile boolean logAppendTime;

    AudioLatency(String bootstrap) throws InterruptedException {
        thread = Thread.ofPlatform().daemon().name("voice-audio-reader").start(() -> poll(bootstrap));
        while (!positioned) {
            Thread.sleep(50);
        }
    }

    private void poll(String bootstrap) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(Topics.AUDIO, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(Topics.AUDIO, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            positioned = true;
            while (running) {
                for (var record : consumer.poll(Duration.ofMillis(50))) {
                    var now = Instant.now();
                    var header = record.headers().lastHeader(AudioHeaders.RECEIVED_AT);
                    if (header == null) {
                        continue;
                    }
                    var receivedAt = Instant.parse(new String(header.value(), StandardCharsets.UTF_8));
                    logAppendTime = record.timestampType() == TimestampType.LOG_APPEND_TIME;
                    long topicUs = (record.timestamp() * 1000) - micros(receivedAt);
                    long consumerUs = micros(now) - micros(receivedAt);
                    add(receivedAt, topicUs, consumerUs);
                }
            }
        }
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
    }

    private void add(Instant receivedAt, long topicUs, long consumerUs) {
        synchronized (lock) {
            if (receivedAt.isBefore(windowStart) || !receivedAt.isBefore(windowEnd)) {
                return;
            }
            if (count == toTopicUs.length) {
                toTopicUs = Arrays.copyOf(toTopicUs, count * 2);
                toConsumerUs = Arrays.copyOf(toConsumerUs, count * 2);
            }
            toTopicUs[count] = topicUs;
            toConsumerUs[count] = consumerUs;
            count++;
        }
    }

    void open(Instant start) {
        synchronized (lock) {
            windowStart = start;
            windowEnd = Instant.MAX;
            count = 0;
        }
    }

    /** Closes the window at {@code end}; records of frames received before it may still arrive for a moment. */
    void close(Instant end) {
        synchronized (lock) {
            windowEnd = end;
        }
    }

    record Percentiles(int records, double p50, double p95, double p99, double max) {
        @Override
        public String toString() {
            return String.format("%.1f / %.1f / %.1f (max %.0f)", p50, p95, p99, max);
        }
    }

    /** Milliseconds to the topic (broker append time) and to this consumer. */
    Percentiles[] percentiles() {
        synchronized (lock) {
            return new Percentiles[] {of(Arrays.copyOf(toTopicUs, count)), of(Arrays.copyOf(toConsumerUs, count))};
        }
    }

    boolean logAppendTime() {
        return logAppendTime;
    }

    private static Percentiles of(long[] us) {
        if (us.length == 0) {
            return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        Arrays.sort(us);
        return new Percentiles(us.length, at(us, 0.50), at(us, 0.95), at(us, 0.99), us[us.length - 1] / 1000.0);
    }

    private static double at(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] / 1000.0;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
