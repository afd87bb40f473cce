package io.voicecoach.analytics.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.scheduler.Scheduled;
import io.voicecoach.events.Event;
import io.voicecoach.events.EventJson;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls in progress, kept in memory from committed ingestion, and the tenants' live viewers. A viewer receives only
 * its own tenant's calls. A call is in progress from its first event until {@code session.ended}, or until it has
 * had no event for {@code voicecoach.live.idle-timeout}; events older than that (a replay) are not shown.
 */
@ApplicationScoped
public class LiveCalls {

    private static final Logger LOG = Logger.getLogger(LiveCalls.class);

    private record Tracked(String tenantId, LiveCall call) {
    }

    private record Viewer(String tenantId, SseEventSink sink, Sse sse) {
    }

    private final LiveConfig config;
    private final Map<String, Tracked> calls = new HashMap<>();
    private final Map<String, Instant> ended = new HashMap<>();
    private final Set<Viewer> viewers = ConcurrentHashMap.newKeySet();
    private Instant nextEviction = Instant.MIN;

    public LiveCalls(LiveConfig config) {
        this.config = config;
    }

    @PreDestroy
    void stop() {
        viewers.forEach(v -> v.sink().close());
    }

    /** Applies a stored event to its call (events that change nothing live are ignored). */
    public void accept(Event<?> event) {
        LiveUpdate.of(event).ifPresent(this::apply);
    }

    synchronized void apply(LiveUpdate update) {
        Instant horizon = Instant.now().minus(config.idleTimeout());
        if (Instant.now().isAfter(nextEviction)) {
            evictIdle(horizon);
            nextEviction = Instant.now().plusSeconds(1);
        }
        if (update.occurredAt().isBefore(horizon) || ended.containsKey(update.sessionId())) {
            return;
        }
        var tracked = calls.get(update.sessionId());
        if (tracked != null && !tracked.tenantId().equals(update.tenantId())) {
            return; // ingestion refuses such events; never let one through to another tenant's viewers
        }
        var call = (tracked == null ? LiveCall.empty(update.sessionId()) : tracked.call()).apply(update);
        if (LiveUpdate.ENDED.equals(update.type())) {
            calls.remove(update.sessionId());
            ended.put(update.sessionId(), update.occurredAt());
        } else {
            calls.put(update.sessionId(), new Tracked(update.tenantId(), call));
        }
        broadcast(update.tenantId(), update.type(), call);
    }

    /** Starts a viewer: a {@code ready} event, one {@code call} event per call in progress, then every change. */
    public synchronized void subscribe(String tenantId, SseEventSink sink, Sse sse) {
        evictIdle(Instant.now().minus(config.idleTimeout()));
        var viewer = new Viewer(tenantId, sink, sse);
        List<LiveCall> current = calls.values().stream().filter(t -> t.tenantId().equals(tenantId))
                .map(Tracked::call).toList();
        send(viewer, event(sse, "ready", Map.of("liveCalls", current.size())));
        current.forEach(call -> send(viewer, event(sse, "call", call)));
        viewers.add(viewer);
    }

    /** Forgets an erased session. */
    public synchronized void erase(String sessionId) {
        calls.remove(sessionId);
        ended.put(sessionId, Instant.now());
    }

    private void broadcast(String tenantId, String type, LiveCall call) {
        for (Viewer viewer : viewers) {
            if (viewer.tenantId().equals(tenantId)) {
                send(viewer, event(viewer.sse(), type, call));
            }
        }
    }

    /** A comment every {@code voicecoach.live.heartbeat} keeps idle connections open and finds closed ones. */
    @Scheduled(every = "${voicecoach.live.heartbeat:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void heartbeat() {
        for (Viewer viewer : viewers) {
            send(viewer, viewer.sse().newEventBuilder().comment("keep-alive").build());
        }
    }

    private void send(Viewer viewer, OutboundSseEvent event) {
        if (viewer.sink().isClosed()) {
            viewers.remove(viewer);
            return;
        }
        try {
            viewer.sink().send(event).exceptionally(e -> {
                LOG.debugf("live viewer gone: %s", e.getMessage());
                viewers.remove(viewer);
                return null;
            });
        } catch (IllegalStateException closedMeanwhile) {
            // the connection closed after isClosed() (the sink throws "Already closed"): this viewer only is gone
            LOG.debugf("live viewer gone: %s", closedMeanwhile.getMessage());
            viewers.remove(viewer);
        }
    }

    private void evictIdle(Instant horizon) {
        calls.values().removeIf(t -> t.call().updatedAt() != null && t.call().updatedAt().isBefore(horizon));
        ended.values().removeIf(at -> at.isBefore(horizon));
    }

    private static OutboundSseEvent event(Sse sse, String name, Object data) {
        try {
            return sse.newEventBuilder().name(name).mediaType(MediaType.TEXT_PLAIN_TYPE)
                    .data(String.class, EventJson.MAPPER.writeValueAsString(data)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write live event", e);
        }
    }
}
