package io.voicecoach.gateway.tenant;

import io.quarkus.scheduler.Scheduled;
import io.voicecoach.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Deletes the client secrets that expired more than {@code voicecoach.gateway.client-secret-retention} ago, every
 * {@code client-secret-purge-interval} on each instance (a delete by expiry, so two instances doing it is harmless).
 */
@ApplicationScoped
public class ClientSecretPurge {

    private static final Logger LOG = Logger.getLogger(ClientSecretPurge.class);

    private final TenantDirectory directory;
    private final GatewayConfig config;

    public ClientSecretPurge(TenantDirectory directory, GatewayConfig config) {
        this.directory = directory;
        this.config = config;
    }

    @Scheduled(every = "${voicecoach.gateway.client-secret-purge-interval:10m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        purge();
    }

    /** Deletes them now; returns how many. */
    public long purge() {
        long deleted = directory.forgetExpiredClientSecrets(config.clientSecretRetention());
        if (deleted > 0) {
            LOG.infof("deleted %d client secrets expired more than %s ago", deleted, config.clientSecretRetention());
        }
        return deleted;
    }
}
