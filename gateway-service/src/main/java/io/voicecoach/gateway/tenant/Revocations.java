package io.voicecoach.gateway.tenant;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import io.voicecoach.gateway.GatewayConfig;
import io.voicecoach.gateway.session.ClientChannel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Closes open connections whose credential was revoked or whose tenant was suspended. Each instance checks the
 * credentials of its open connections against the database every {@code voicecoach.gateway.credential-recheck-interval}
 * (that is how a change made through another instance arrives), with one query per 1000 distinct credentials, and at
 * once after a change made through this one
 * ({@link ApiKeys#evictAll()}). A closed connection gets close code {@value #CREDENTIALS_REVOKED} with the refusal
 * ({@code revoked_credentials} or {@code tenant_suspended}) as its reason, which is also its session's end reason.
 * Expiry does not close a connection: a client secret only has to be valid when the connection opens.
 */
@ApplicationScoped
public class Revocations {

    public static final int CREDENTIALS_REVOKED = 4010;
    private static final Logger LOG = Logger.getLogger(Revocations.class);

    private final ApiKeys apiKeys;
    private final Vertx vertx;
    private final GatewayConfig config;
    /** Open connections and the hash of the credential each was opened with. */
    private final Map<ClientChannel, String> open = new ConcurrentHashMap<>();
    /** Rechecks asked for and not yet started: one runs at a time, the last request is never lost. */
    private final AtomicInteger requested = new AtomicInteger();
    private final Counter rechecks;
    private long timer = -1;

    public Revocations(ApiKeys apiKeys, Vertx vertx, GatewayConfig config, MeterRegistry meters) {
        this.apiKeys = apiKeys;
        this.rechecks = Counter.builder("voicecoach.gateway.credential.rechecks")
                .description("Rechecks of the open connections' credentials (one query per 1000 credentials)")
                .register(meters);
        this.vertx = vertx;
        this.config = config;
        apiKeys.onEvicted(this::recheckSoon);
    }

    void start(@Observes StartupEvent started) {
        timer = vertx.setPeriodic(config.credentialRecheckInterval().toMillis(), id -> recheckSoon());
    }

    void stop(@Observes ShutdownEvent stopping) {
        vertx.cancelTimer(timer);
    }

    /** A connection opened with the credential whose hash is {@code credentialHash}. */
    public void opened(ClientChannel channel, String credentialHash) {
        if (credentialHash != null) {
            open.put(channel, credentialHash);
        }
    }

    public void closed(ClientChannel channel) {
        if (channel != null) {
            open.remove(channel);
        }
    }

    private void recheckSoon() {
        if (requested.getAndIncrement() == 0) {
            Infrastructure.getDefaultWorkerPool().execute(this::drain);
        }
    }

    private void drain() {
        do {
            requested.set(1);
            try {
                recheck();
            } catch (RuntimeException e) {
                LOG.warnf("credential recheck failed: %s", e.getMessage());
            }
        } while (requested.decrementAndGet() > 0);
    }

    private void recheck() {
        var byCredential = new HashMap<String, List<ClientChannel>>();
        open.forEach((channel, hash) -> byCredential.computeIfAbsent(hash, h -> new ArrayList<>()).add(channel));
        if (byCredential.isEmpty()) {
            return;
        }
        apiKeys.closingRefusals(byCredential.keySet()).forEach((hash, refusal) -> {
            var channels = byCredential.get(hash);
            LOG.infof("closing %d connection(s): %s", channels.size(), refusal);
            channels.forEach(channel -> {
                open.remove(channel);
                channel.closeWith(CREDENTIALS_REVOKED, refusal);
            });
        });
        rechecks.increment();
    }
}
