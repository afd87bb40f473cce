package io.voicecoach.gateway.failover;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.voicecoach.events.Topics;
import io.voicecoach.gateway.session.SessionSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * Every gateway instance's copy of {@code gateway.sessions} (the open sessions of all instances) and
 * {@code gateway.instances} (when each instance was last heard of). One consumer assigned to every partition of both
 * topics reads them from the beginning; the store is {@link #caughtUp()} once it reached the end offsets taken at
 * start, and follows them from then on.
 */
@ApplicationScoped
public class SessionStore {

    private static final Logger LOG = Logger.getLogger(SessionStore.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int ENDED_REMEMBERED = 10_000;

    private final StateTopics topics;
    private final Map<String, SessionSnapshot> sessions = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastHeard = new ConcurrentHashMap<>();
    /** Sessions ended here: their snapshots still on the way (written before the tombstone) are not taken back. */
    private final Set<String> ended = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > ENDED_REMEMBERED;
        }
    });
    private final List<BiConsumer<String, SessionSnapshot>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean caughtUp;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread reader;

    public SessionStore(StateTopics topics) {
        this.topics = topics;
    }

    void start(@Observes StartupEvent started) {
        reader = Thread.ofPlatform().daemon().name("gateway-session-store").start(this::read);
    }

    void stop(@Observes ShutdownEvent stopping) {
        running = false;
        var current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (reader != null) {
            try {
                reader.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** True once the store holds every snapshot written before this instance started. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /**
     * The session ended (this instance ends it now): it is gone from the store at once, not only when its tombstone
     * comes back from Kafka, so a resume in between is refused instead of bringing it back.
     */
    public void ended(String sessionId) {
        synchronized (ended) {
            ended.add(sessionId);
        }
        sessions.remove(sessionId);
    }

    public Optional<SessionSnapshot> find(String sessionId) {
        return sessionId == null ? Optional.empty() : Optional.ofNullable(sessions.get(sessionId));
    }

    public Collection<SessionSnapshot> all() {
        return sessions.values();
    }

    /** The call of a session of {@code tenantId} held anywhere, null when unknown (or another tenant's). */
    public String callOf(String tenantId, String sessionId) {
        var snapshot = sessions.get(sessionId);
        return snapshot != null && snapshot.tenantId().equals(tenantId) ? snapshot.configured().voicecoach().callId()
                : null;
    }

    /** The open sessions of a call of {@code tenantId}, on any instance. */
    public List<String> sessionsOfCall(String tenantId, String callId) {
        var members = new ArrayList<String>();
        for (var snapshot : sessions.values()) {
            if (snapshot.tenantId().equals(tenantId) && snapshot.configured().voicecoach().callId().equals(callId)) {
                members.add(snapshot.sessionId());
            }
        }
        return members;
    }

    /** When {@code instanceId} last published its liveness record; null if never, or it stopped. */
    public Instant lastHeard(String instanceId) {
        return instanceId == null ? null : lastHeard.get(instanceId);
    }

    /** The instances heard of within {@code timeout} before {@code now}. */
    public List<String> liveInstances(Instant now, Duration timeout) {
        var cutoff = now.minus(timeout);
        return lastHeard.entrySet().stream().filter(e -> e.getValue().isAfter(cutoff)).map(Map.Entry::getKey)
                .toList();
    }

    /** Called with (session id, snapshot or null for a tombstone) for every record read, on the store's thread. */
    public void onChange(BiConsumer<String, SessionSnapshot> listener) {
        listeners.add(listener);
    }

    private void read() {
        while (running) {
            try (var kafka = topics.consumer("session-store")) {
                consumer = kafka;
                var partitions = partitions(kafka);
                if (partitions.isEmpty()) {
                    continue;
                }
                kafka.assign(partitions);
                kafka.seekToBeginning(partitions);
                var ends = kafka.endOffsets(partitions);
                while (running) {
                    for (var record : kafka.poll(POLL)) {
                        apply(record);
                    }
                    if (!caughtUp && ends.entrySet().stream()
                            .allMatch(end -> kafka.position(end.getKey()) >= end.getValue())) {
                        caughtUp = true;
                        LOG.infof("session store caught up: %d open sessions, %d instances", sessions.size(),
                                lastHeard.size());
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("session store reader failed, reconnecting: %s", e.getMessage());
                pause(Duration.ofSeconds(1));
            }
        }
    }

    /** All partitions of both state topics; empty (after a pause) while they do not exist yet. */
    private List<TopicPartition> partitions(KafkaConsumer<String, String> kafka) {
        var partitions = new ArrayList<TopicPartition>();
        for (String topic : List.of(Topics.GATEWAY_SESSIONS, Topics.GATEWAY_INSTANCES)) {
            var infos = kafka.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                LOG.warnf("topic %s does not exist yet; the session store waits for it", topic);
                pause(Duration.ofSeconds(2));
                return List.of();
            }
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        return partitions;
    }

    private void apply(ConsumerRecord<String, String> record) {
        if (record.key() == null) {
            return;
        }
        if (Topics.GATEWAY_INSTANCES.equals(record.topic())) {
            if (record.value() == null) {
                lastHeard.remove(record.key());
            } else {
                // the writer's clock, never ahead of ours: a long-dead instance's last record is old at once
                lastHeard.put(record.key(), Instant.ofEpochMilli(Math.min(record.timestamp(),
                        System.currentTimeMillis())));
            }
            return;
        }
        SessionSnapshot snapshot = null;
        if (record.value() == null) {
            sessions.remove(record.key());
        } else {
            synchronized (ended) {
                if (ended.contains(record.key())) {
                    return;
                }
            }
            try {
                snapshot = SessionSnapshot.parse(record.value());
                sessions.put(record.key(), snapshot);
            } catch (IllegalArgumentException e) {
                LOG.warnf("skipping unreadable snapshot of %s: %s", record.key(), e.getMessage());
                return;
            }
        }
        for (var listener : listeners) {
            try {
                listener.accept(record.key(), snapshot);
            } catch (RuntimeException e) {
                LOG.warnf(e, "snapshot listener failed for %s", record.key());
            }
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
