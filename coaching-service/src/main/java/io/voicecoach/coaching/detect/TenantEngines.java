package io.voicecoach.coaching.detect;

import io.quarkus.runtime.Startup;
import io.quarkus.virtual.threads.VirtualThreads;
import io.voicecoach.coaching.BoundedLru;
import io.voicecoach.coaching.CoachingConfig;
import io.voicecoach.coaching.detect.EngineFactory.Engine;
import io.voicecoach.coaching.playbook.PlaybookSource;
import io.voicecoach.coaching.playbook.PlaybookStore;
import io.voicecoach.coaching.playbook.StoredPlaybook;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.concurrent.ExecutorService;

/**
 * Each tenant's engine for its active playbook version, built on first use and kept (LRU-bounded). A kept engine is
 * trusted for {@code playbooks.refresh}; after that one cheap query checks the active version and the engine is
 * rebuilt only if it changed. {@link #invalidate} (called after a change through the API) drops it at once. If the
 * database cannot be reached, the engine in hand (or the default) goes on coaching. {@link #forTenant} blocks (API
 * threads); the stream threads use {@link #cached}, which never touches the database: it answers with the engine in
 * hand and refreshes it on a background thread.
 */
@Startup
@Singleton
public class TenantEngines {

    private static final Logger LOG = Logger.getLogger(TenantEngines.class);

    private record Cached(Engine engine, long checkedAtNanos) {
    }

    private final EngineFactory factory;
    private final PlaybookStore store;
    private final long refreshNanos;
    private final Engine defaultEngine;
    private final BoundedLru<String, Cached> tenants;
    private final java.util.Set<String> refreshing = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Set<String> changing = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Background loads on Quarkus' virtual-thread executor, one at a time. */
    private final ExecutorService refresher;
    private final java.util.concurrent.locks.ReentrantLock oneAtATime = new java.util.concurrent.locks.ReentrantLock();

    public TenantEngines(EngineFactory factory, PlaybookStore store, PlaybookSource defaults, CoachingConfig config,
                         @VirtualThreads ExecutorService refresher) {
        this.refresher = refresher;
        this.factory = factory;
        this.store = store;
        this.refreshNanos = config.playbooks().refresh().toNanos();
        this.tenants = new BoundedLru<>(config.playbooks().cacheCapacity());
        this.defaultEngine = factory.build("every tenant (bundled default)", StoredPlaybook.DEFAULT_VERSION,
                defaults.playbook());
    }

    public Engine defaultEngine() {
        return defaultEngine;
    }

    public Engine forTenant(String tenantId) {
        var cached = tenants.get(tenantId);
        long now = System.nanoTime();
        if (cached != null && now - cached.checkedAtNanos() < refreshNanos) {
            return cached.engine();
        }
        try {
            int active = store.activeVersion(tenantId);
            if (cached != null && cached.engine().version() == active) {
                tenants.put(tenantId, new Cached(cached.engine(), now));
                return cached.engine();
            }
            var engine = active == StoredPlaybook.DEFAULT_VERSION ? defaultEngine : build(tenantId);
            tenants.put(tenantId, new Cached(engine, now));
            return engine;
        } catch (RuntimeException e) {
            LOG.warnf("cannot load the playbook of tenant %s, coaching with %s: %s", tenantId,
                    cached == null ? "the default" : "version " + cached.engine().version(), e.getMessage());
            return cached == null ? defaultEngine : cached.engine();
        }
    }

    /**
     * The tenant's engine without blocking: the one in hand (the default until the tenant's first load finished),
     * refreshed in the background once it is older than {@code playbooks.refresh}.
     */
    public Engine cached(String tenantId) {
        var cached = tenants.get(tenantId);
        if (cached == null || System.nanoTime() - cached.checkedAtNanos() >= refreshNanos) {
            prefetch(tenantId);
        }
        return cached == null ? defaultEngine : cached.engine();
    }

    /** Loads or refreshes the tenant's engine on a background thread (a session of the tenant started). */
    public void prefetch(String tenantId) {
        if (refreshing.add(tenantId)) {
            refresher.execute(() -> {
                oneAtATime.lock();
                try {
                    forTenant(tenantId);
                } finally {
                    oneAtATime.unlock();
                    refreshing.remove(tenantId);
                }
            });
        }
    }

    /** A tenant's playbook change is refused while its previous one is still being built. */
    public static class BusyException extends RuntimeException {
        BusyException(String tenantId) {
            super("the previous playbook change of tenant " + tenantId + " is still being built; try again shortly");
        }
    }

    /** After a change through this instance's API: the active version is loaded now, before the call returns. */
    public void invalidate(String tenantId) {
        tenants.remove(tenantId);
        forTenant(tenantId);
    }

    /**
     * A change through the API ({@code change} stores it), then the tenant's engine built again before this returns.
     * Building embeds and trains on the playbook's sentences (seconds of CPU for a large one): builds run one at a time
     * for all tenants (with the background loads), and a tenant has at most one change in progress.
     *
     * @throws BusyException at once when the tenant's previous change is still being built
     */
    public <T> T change(String tenantId, java.util.function.Supplier<T> change) {
        if (!changing.add(tenantId)) {
            throw new BusyException(tenantId);
        }
        try {
            oneAtATime.lock();
            try {
                T result = change.get();
                invalidate(tenantId);
                return result;
            } finally {
                oneAtATime.unlock();
            }
        } finally {
            changing.remove(tenantId);
        }
    }

    private Engine build(String tenantId) {
        var stored = store.active(tenantId);
        if (stored.version() == StoredPlaybook.DEFAULT_VERSION) {
            return defaultEngine;
        }
        return factory.build("tenant " + tenantId, stored.version(), stored.playbook());
    }
}
