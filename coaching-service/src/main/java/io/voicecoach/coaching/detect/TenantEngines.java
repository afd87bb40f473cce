package io.voicecoach.coaching.detect;

import io.quarkus.runtime.Startup;
import io.voicecoach.coaching.BoundedLru;
import io.voicecoach.coaching.CoachingConfig;
import io.voicecoach.coaching.detect.EngineFactory.Engine;
import io.voicecoach.coaching.playbook.PlaybookSource;
import io.voicecoach.coaching.playbook.PlaybookStore;
import io.voicecoach.coaching.playbook.StoredPlaybook;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Each tenant's engine for its active playbook version, built on first use and kept (LRU-bounded). A kept engine is
 * trusted for {@code playbooks.refresh}; after that one cheap query checks the active version and the engine is
 * rebuilt only if it changed. {@link #invalidate} (called after a change through the API) drops it at once. If the
 * database cannot be reached, the engine in hand (or the default) goes on coaching. Blocking: call off the event loop.
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

    public TenantEngines(EngineFactory factory, PlaybookStore store, PlaybookSource defaults, CoachingConfig config) {
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

    /** Forget the tenant's engine: the next use loads the active version. */
    public void invalidate(String tenantId) {
        tenants.remove(tenantId);
    }

    private Engine build(String tenantId) {
        var stored = store.active(tenantId);
        if (stored.version() == StoredPlaybook.DEFAULT_VERSION) {
            return defaultEngine;
        }
        return factory.build("tenant " + tenantId, stored.version(), stored.playbook());
    }
}
