package io.voicecoach.gateway.tenant;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Ensures the bootstrap tenant and its API key exist (idempotent; Flyway has migrated by now). */
@ApplicationScoped
public class BootstrapTenant {

    private static final Logger LOG = Logger.getLogger(BootstrapTenant.class);

    private final BootstrapConfig config;
    private final TenantDirectory directory;
    private final ApiKeys apiKeys;

    public BootstrapTenant(BootstrapConfig config, TenantDirectory directory, ApiKeys apiKeys) {
        this.config = config;
        this.directory = directory;
        this.apiKeys = apiKeys;
    }

    void onStart(@Observes StartupEvent event) {
        config.apiKey().ifPresent(key -> {
            directory.ensureTenant(config.tenantId(), config.tenantName());
            String keyId = apiKeys.register(config.tenantId(), key);
            LOG.infof("bootstrap tenant %s ready with API key %s (%s...)", config.tenantId(), keyId,
                    key.substring(0, ApiKeys.PREFIX_LENGTH));
        });
    }
}
