package io.voicecoach.coaching.erasure;

import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.voicecoach.events.Event;
import io.voicecoach.events.SessionErased;
import io.voicecoach.events.SessionEvent;
import io.voicecoach.events.Topics;
import io.voicecoach.platform.events.EventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Asks every instance to forget a session, or all of a tenant's sessions: publishes {@code session.erased} on
 * {@code voice.sessions}, which the session topology reads, so the erasure reaches the partition's owner (and through
 * the changelog its standby) wherever it runs. A session's erasure is keyed by its id like its other events; a
 * tenant's goes to every partition, each record keyed so that the default partitioner puts it there.
 */
@ApplicationScoped
public class Erasures {

    public static final String REQUESTED_BY = "api";
    static final String CHANNEL = "erasures";

    private final EventPublisher<SessionEvent> sessions;
    private final KafkaClientService clients;

    public Erasures(@Channel(CHANNEL) Emitter<Event<?>> emitter, KafkaClientService clients,
                    @ConfigProperty(name = "quarkus.application.name") String producer) {
        this.sessions = new EventPublisher<>(Topics.SESSIONS, emitter, producer);
        this.clients = clients;
    }

    /** Completes with the event's id once the broker has it. */
    public CompletionStage<UUID> session(String tenantId, String sessionId) {
        var eventId = UUID.randomUUID();
        return sessions.publish(tenantId, sessionId, 1, eventId, new SessionErased(SessionErased.SESSION, REQUESTED_BY))
                .thenApply(sent -> eventId);
    }

    /** Completes with one event id per partition of {@code voice.sessions} once the broker has them all. */
    public CompletionStage<List<UUID>> tenant(String tenantId) {
        return clients.getProducer(CHANNEL).partitionsFor(Topics.SESSIONS).subscribeAsCompletionStage()
                .thenCompose(partitions -> tenant(tenantId, partitions.size()));
    }

    CompletionStage<List<UUID>> tenant(String tenantId, int partitions) {
        var ids = new ArrayList<UUID>();
        var sent = new ArrayList<CompletableFuture<?>>();
        for (String key : keysForEveryPartition("erase:" + tenantId + ":", partitions)) {
            var eventId = UUID.randomUUID();
            ids.add(eventId);
            sent.add(sessions.publish(tenantId, key, 1, eventId, new SessionErased(SessionErased.TENANT, REQUESTED_BY))
                    .toCompletableFuture());
        }
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).thenApply(done -> List.copyOf(ids));
    }

    /** One key per partition, {@code prefix + n} for the smallest n the default partitioner sends there. */
    static List<String> keysForEveryPartition(String prefix, int partitions) {
        var keys = new String[partitions];
        int found = 0;
        for (int n = 0; found < partitions; n++) {
            String key = prefix + n;
            int partition = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
            if (keys[partition] == null) {
                keys[partition] = key;
                found++;
            }
        }
        return List.of(keys);
    }
}
