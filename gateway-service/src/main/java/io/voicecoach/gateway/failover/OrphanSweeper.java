package io.voicecoach.gateway.failover;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.voicecoach.gateway.GatewayConfig;
import io.voicecoach.gateway.limits.LimitsConfig;
import io.voicecoach.gateway.session.SessionConfig;
import io.voicecoach.gateway.session.SessionPublisher;
import io.voicecoach.gateway.session.SessionRegistry;
import io.voicecoach.gateway.session.SessionSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ends the sessions nobody holds any more and nobody resumed within the resume window: those of a dead instance (no
 * liveness record within {@code instance-timeout}, or it restarted without them), and those of a drained one. Exactly
 * one live instance ends each (chosen from the session id among the live instances, so every instance picks the same
 * one), with {@code session.ended} (reason {@value #GATEWAY_LOST} for a dead holder, {@value #RESUME_EXPIRED} for a
 * drained session; name-based event id, so a second publisher is dropped downstream) and then the tombstone.
 * Sessions detached on a live instance are that instance's own business ({@code SessionSweeper}).
 */
@ApplicationScoped
public class OrphanSweeper {

    public static final String GATEWAY_LOST = "gateway_lost";
    public static final String RESUME_EXPIRED = "resume_expired";
    private static final Logger LOG = Logger.getLogger(OrphanSweeper.class);

    private final SessionStore store;
    private final SessionRegistry registry;
    private final SessionPublisher publisher;
    private final SessionSnapshots snapshots;
    private final GatewayConfig config;
    private final SessionConfig sessionConfig;
    private final LimitsConfig limits;
    private final Vertx vertx;
    private final Set<String> ending = ConcurrentHashMap.newKeySet();
    /** When this run found each session an earlier run of this instance (same id, e.g. a container restart) held. */
    private final Map<String, Instant> foundFromEarlierRun = new ConcurrentHashMap<>();
    private long timer = -1;

    public OrphanSweeper(SessionStore store, SessionRegistry registry, SessionPublisher publisher,
                         SessionSnapshots snapshots, GatewayConfig config, SessionConfig sessionConfig,
                         LimitsConfig limits, Vertx vertx) {
        this.store = store;
        this.registry = registry;
        this.publisher = publisher;
        this.snapshots = snapshots;
        this.config = config;
        this.sessionConfig = sessionConfig;
        this.limits = limits;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent started) {
        timer = vertx.setPeriodic(limits.sweepInterval().toMillis(), ignored -> sweep());
    }

    void stop(@Observes ShutdownEvent stopping) {
        vertx.cancelTimer(timer);
    }

    void sweep() {
        if (!store.caughtUp()) {
            return;
        }
        var now = Instant.now();
        ending.removeIf(id -> store.find(id).isEmpty());
        foundFromEarlierRun.keySet().removeIf(id -> store.find(id).isEmpty());
        var live = new ArrayList<>(store.liveInstances(now, config.instanceTimeout()));
        if (!live.contains(config.instanceId())) {
            live.add(config.instanceId());
        }
        live.sort(null);
        for (var snapshot : store.all()) {
            if (registry.find(snapshot.sessionId()).isPresent()) {
                continue;
            }
            var orphaned = orphanedSince(snapshot, live, now);
            if (orphaned == null || !now.isAfter(orphaned.plus(sessionConfig.resumeWindow()))) {
                continue;
            }
            String ender = live.get(Math.floorMod(snapshot.sessionId().hashCode(), live.size()));
            if (ender.equals(config.instanceId()) && ending.add(snapshot.sessionId())) {
                end(snapshot, snapshot.holder() == null ? RESUME_EXPIRED : GATEWAY_LOST);
            }
        }
    }

    /**
     * Since when nobody holds the session (for the resume window to run from); null while a live instance does. A
     * session held by this instance's id but not here is one an earlier run of this instance left behind: its last
     * snapshot may be minutes old and this run's own beats hide when that run died, so the window runs from when this
     * run found it, and its client gets a whole window to resume.
     */
    private Instant orphanedSince(SessionSnapshot snapshot, List<String> live, Instant now) {
        String holder = snapshot.holder();
        boolean heldByEarlierRun = config.instanceId().equals(holder);
        if (holder != null && !heldByEarlierRun && live.contains(holder)) {
            return null;
        }
        if (snapshot.detachedAt() != null) {
            return snapshot.detachedAt();
        }
        if (heldByEarlierRun) {
            return later(foundFromEarlierRun.computeIfAbsent(snapshot.sessionId(), id -> now), snapshot.updatedAt());
        }
        var heard = store.lastHeard(holder);
        return heard != null ? later(heard, snapshot.updatedAt()) : snapshot.updatedAt();
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private void end(SessionSnapshot orphan, String reason) {
        LOG.infof("ending session %s of tenant %s: held by %s, not resumed within %s (%s)", orphan.sessionId(),
                orphan.tenantId(), orphan.holder(), sessionConfig.resumeWindow(), reason);
        var ended = orphan.started() ? publisher.ended(orphan, reason) : Uni.createFrom().voidItem();
        ended.subscribe().with(ok -> snapshots.ended(orphan.sessionId()), failure -> {
            LOG.warnf("session.ended of orphan %s not published, will retry: %s", orphan.sessionId(),
                    failure.getMessage());
            ending.remove(orphan.sessionId());
        });
    }
}
