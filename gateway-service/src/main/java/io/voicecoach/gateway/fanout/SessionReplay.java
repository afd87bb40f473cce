package io.voicecoach.gateway.fanout;

import io.quarkus.runtime.ShutdownEvent;
import io.voicecoach.events.EventCodec;
import io.voicecoach.events.InvalidEventException;
import io.voicecoach.gateway.failover.StateTopics;
import io.voicecoach.gateway.realtime.RealtimeError;
import io.voicecoach.gateway.realtime.RealtimeJson;
import io.voicecoach.gateway.realtime.ServerEvent;
import io.voicecoach.gateway.session.ClientStream;
import io.voicecoach.gateway.session.Cursor;
import io.voicecoach.gateway.session.Delivery;
import io.voicecoach.gateway.session.FeedTopic;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.session.RecordPosition;
import io.voicecoach.gateway.session.SessionConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Fills a resumed client's stream from Kafka, whichever instance held the session before: for every partition of
 * {@code coach.suggestions}, {@code voice.transcripts}, {@code agent.replies} and {@code agent.speech} that carries the session or another
 * leg of its call (and every partition the cursor names), the records after the cursor's offset, routed exactly as
 * the live fan-out routes them. Records up to {@code replay-lookback} before the cursor are read too and only
 * learned (the suggestions a later battle card belongs to, partial transcript text shown, the reply in progress). No
 * partition is read from before the session opened. Reading stops at the end offsets taken once the stream holds
 * live records, so the live fan-out continues from there without a gap; what both saw is delivered once.
 */
@ApplicationScoped
public class SessionReplay {

    private static final Logger LOG = Logger.getLogger(SessionReplay.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration MAX_READ = Duration.ofSeconds(30);

    private final StateTopics topics;
    private final CallDirectory calls;
    private final Map<FeedTopic, FeedRoute> routes = new HashMap<>();
    private final SessionConfig config;
    private final ExecutorService readers;
    private final ConcurrentLinkedQueue<KafkaConsumer<String, String>> idle = new ConcurrentLinkedQueue<>();

    public SessionReplay(StateTopics topics, CallDirectory calls, SuggestionFanout suggestions, TranscriptEcho echo,
                         AgentReplyFanout replies, SpeechFanout speech, SessionConfig config) {
        this.topics = topics;
        this.calls = calls;
        this.config = config;
        for (FeedRoute route : List.of(suggestions, echo, replies, speech)) {
            routes.put(route.feed(), route);
        }
        this.readers = Executors.newFixedThreadPool(config.replayReaders(),
                Thread.ofPlatform().daemon().name("gateway-replay-", 0).factory());
    }

    /**
     * Replays into {@code stream} (the attachment {@code session} just got) from {@code from}; completes once the
     * stream is live. A failed replay still goes live: the client gets an {@code internal_error} event, then the live
     * events.
     */
    public CompletionStage<Void> replay(RealtimeSession session, ClientStream stream, Cursor from) {
        return CompletableFuture.runAsync(() -> run(session, stream, from), readers)
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        LOG.warnf(failure, "replay of session %s failed; it continues live", session.id());
                        var error = RealtimeError.internal(
                                "some events sent while you were away could not be replayed");
                        session.client().send(RealtimeJson.frame(ServerEvent.ErrorEvent.of(error, null)))
                                .subscribe().with(sent -> { }, notSent -> { });
                    }
                    session.client().replayDone(stream);
                });
    }

    private void run(RealtimeSession session, ClientStream stream, Cursor from) {
        var consumer = idle.poll();
        if (consumer == null) {
            consumer = topics.consumer("replay-" + Thread.currentThread().getName());
        }
        try {
            read(consumer, session, stream, from);
            consumer.unsubscribe();
            idle.add(consumer);
        } catch (RuntimeException e) {
            consumer.close(Duration.ofSeconds(2));
            throw e;
        }
    }

    private void read(KafkaConsumer<String, String> consumer, RealtimeSession session, ClientStream stream,
                      Cursor from) {
        var legs = new HashSet<>(calls.legsOf(session));
        var feeds = partitions(consumer, legs, from);
        var partitions = feeds.keySet();
        consumer.assign(partitions);
        long sessionStart = session.openedAt().minus(config.replayClockSkew()).toEpochMilli();
        var ends = consumer.endOffsets(partitions);
        var begins = consumer.beginningOffsets(partitions);
        var opened = offsetsAt(consumer, partitions, sessionStart, ends);
        var lookback = offsetsAt(consumer, partitions, from.timestamp() - config.replayLookback().toMillis(), ends);
        var deliverFrom = new HashMap<TopicPartition, Long>();
        for (var partition : partitions) {
            long floor = Math.max(begins.get(partition), opened.get(partition));
            long end = ends.get(partition);
            var feed = feeds.get(partition);
            Long cursor = from.offset(feed, partition.partition());
            // a record the client had in part is delivered again (the stream skips the frames it had)
            long next = cursor == null ? floor : from.partial(feed, partition.partition()) ? cursor : cursor + 1;
            long deliver = Math.min(end, Math.max(floor, next));
            long learn = cursor == null ? deliver : Math.min(deliver, Math.max(floor, lookback.get(partition)));
            deliverFrom.put(partition, deliver);
            consumer.seek(partition, learn);
        }
        var records = collect(consumer, partitions, ends, legs);
        var pending = new ArrayList<ArrayDeque<ConsumerRecord<String, String>>>();
        for (var entry : records.entrySet()) {
            var queue = entry.getValue();
            long deliver = deliverFrom.get(entry.getKey());
            var feed = feeds.get(entry.getKey());
            while (!queue.isEmpty() && queue.peek().offset() < deliver) {
                var record = queue.poll();
                routed(feed, record, session).forEach(delivery -> session.client().learned(stream, delivery));
            }
            if (!queue.isEmpty()) {
                pending.add(queue);
            }
        }
        // partitions merged by record time, each in its own order
        var heads = new PriorityQueue<ArrayDeque<ConsumerRecord<String, String>>>(
                Comparator.comparingLong(queue -> queue.peek().timestamp()));
        heads.addAll(pending);
        while (!heads.isEmpty()) {
            var queue = heads.poll();
            var record = queue.poll();
            var feed = feeds.get(new TopicPartition(record.topic(), record.partition()));
            var position = new RecordPosition(feed, record.partition(), record.offset(), record.timestamp());
            routed(feed, record, session).forEach(delivery -> session.client().replayed(stream, position, delivery));
            if (!queue.isEmpty()) {
                heads.add(queue);
            }
        }
    }

    /** The feed partitions of the session's call legs and of the cursor. */
    private Map<TopicPartition, FeedTopic> partitions(KafkaConsumer<String, String> consumer, Set<String> legs,
                                                      Cursor from) {
        var feeds = new HashMap<TopicPartition, FeedTopic>();
        for (var feed : FeedTopic.values()) {
            var info = consumer.partitionsFor(feed.topic());
            int count = info == null ? 0 : info.size();
            if (count == 0) {
                continue;
            }
            for (String leg : legs) {
                int partition = Utils.toPositive(Utils.murmur2(leg.getBytes(StandardCharsets.UTF_8))) % count;
                feeds.put(new TopicPartition(feed.topic(), partition), feed);
            }
            for (String key : from.positions().keySet()) {
                if (Cursor.feedOf(key) == feed && Cursor.partitionOf(key) < count) {
                    feeds.put(new TopicPartition(feed.topic(), Cursor.partitionOf(key)), feed);
                }
            }
        }
        return feeds;
    }

    /** The first offset of each partition at or after {@code timestamp}; the end when there is none. */
    private static Map<TopicPartition, Long> offsetsAt(KafkaConsumer<String, String> consumer,
                                                       Set<TopicPartition> partitions, long timestamp,
                                                       Map<TopicPartition, Long> ends) {
        var query = new HashMap<TopicPartition, Long>();
        partitions.forEach(partition -> query.put(partition, Math.max(0, timestamp)));
        var found = consumer.offsetsForTimes(query);
        var offsets = new HashMap<TopicPartition, Long>();
        for (var partition : partitions) {
            OffsetAndTimestamp at = found.get(partition);
            offsets.put(partition, at == null ? ends.get(partition) : at.offset());
        }
        return offsets;
    }

    /** The records of the call's legs on each partition, up to its end offset. */
    private static Map<TopicPartition, ArrayDeque<ConsumerRecord<String, String>>> collect(
            KafkaConsumer<String, String> consumer, Set<TopicPartition> partitions, Map<TopicPartition, Long> ends,
            Set<String> legs) {
        var records = new HashMap<TopicPartition, ArrayDeque<ConsumerRecord<String, String>>>();
        partitions.forEach(partition -> records.put(partition, new ArrayDeque<>()));
        long deadline = System.nanoTime() + MAX_READ.toNanos();
        var reading = new HashSet<>(partitions);
        reading.removeIf(partition -> consumer.position(partition) >= ends.get(partition));
        while (!reading.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("replay did not reach the end of " + reading + " within " + MAX_READ);
            }
            for (var record : consumer.poll(POLL)) {
                var partition = new TopicPartition(record.topic(), record.partition());
                if (record.offset() < ends.get(partition) && legs.contains(record.key())) {
                    records.get(partition).add(record);
                }
            }
            reading.removeIf(partition -> consumer.position(partition) >= ends.get(partition));
        }
        return records;
    }

    /**
     * What {@code record} brings {@code session}, as the live fan-out would route it; nothing for a record the live
     * fan-out skips (undecodable, of an unknown type).
     */
    private List<Delivery> routed(FeedTopic feed, ConsumerRecord<String, String> record, RealtimeSession session) {
        try {
            return routes.get(feed).route(EventCodec.decode(record.value())).stream()
                    .filter(routed -> routed.target() == session).map(FeedRoute.Routed::delivery).toList();
        } catch (InvalidEventException e) {
            return List.of();
        }
    }

    void stop(@Observes ShutdownEvent stopping) {
        readers.shutdownNow();
        KafkaConsumer<String, String> consumer;
        while ((consumer = idle.poll()) != null) {
            consumer.close(Duration.ofSeconds(2));
        }
    }
}
