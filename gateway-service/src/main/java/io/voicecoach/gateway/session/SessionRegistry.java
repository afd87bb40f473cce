package io.voicecoach.gateway.session;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.voicecoach.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions held by this instance (connected, or dropped and awaiting a resume); fan-out consumers find them here
 * by session id. Counts them per tenant for {@code voicecoach.limits.sessions-per-tenant}.
 */
@ApplicationScoped
public class SessionRegistry {

    private final Map<String, RealtimeSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, Integer> perTenant = new ConcurrentHashMap<>();
    private final int recentIdCapacity;
    private final RealtimeSession.ConversationLimits conversationLimits;

    public SessionRegistry(GatewayConfig config, SessionConfig sessionConfig, MeterRegistry meters) {
        this.recentIdCapacity = config.recentIdsPerSession();
        this.conversationLimits = new RealtimeSession.ConversationLimits(sessionConfig.maxConversationItems(),
                sessionConfig.maxConversationChars());
        Gauge.builder("voicecoach.gateway.sessions.open", sessions, Map::size)
                .description("Client sessions held by this instance").register(meters);
    }

    public RealtimeSession open(String tenantId, ClientChannel channel) {
        return open(tenantId, channel, null);
    }

    /** Opens a session whatever the tenant holds; {@code settings} (null: the defaults) may name another call. */
    public RealtimeSession open(String tenantId, ClientChannel channel, SessionSettings settings) {
        perTenant.merge(tenantId, 1, Integer::sum);
        return register(tenantId, channel, settings);
    }

    /** Opens a session unless the tenant already holds {@code limit}: then empty. */
    public Optional<RealtimeSession> openWithin(String tenantId, ClientChannel channel, int limit) {
        return openWithin(tenantId, channel, limit, null);
    }

    /** {@link #openWithin(String, ClientChannel, int)} with {@code settings} (null: the defaults). */
    public Optional<RealtimeSession> openWithin(String tenantId, ClientChannel channel, int limit,
                                                SessionSettings settings) {
        boolean[] admitted = new boolean[1];
        perTenant.compute(tenantId, (tenant, count) -> {
            int held = count == null ? 0 : count;
            admitted[0] = held < limit;
            return admitted[0] ? held + 1 : count;
        });
        return admitted[0] ? Optional.of(register(tenantId, channel, settings)) : Optional.empty();
    }

    private RealtimeSession register(String tenantId, ClientChannel channel, SessionSettings settings) {
        String id = Ids.session();
        var session = new RealtimeSession(id, tenantId, Instant.now(), channel, recentIdCapacity,
                settings != null ? settings : SessionSettings.defaults(id), conversationLimits);
        sessions.put(session.id(), session);
        return session;
    }

    /**
     * Takes over the session of {@code snapshot} (held by another instance, or by none), whatever the tenant holds
     * here: a resume never counts against the limit twice. If it is here already, that session.
     */
    public RealtimeSession adopt(SessionSnapshot snapshot, ClientChannel channel) {
        var adopted = new RealtimeSession[1];
        var session = sessions.computeIfAbsent(snapshot.sessionId(), id -> {
            adopted[0] = RealtimeSession.restore(snapshot, channel, recentIdCapacity, conversationLimits);
            return adopted[0];
        });
        if (session == adopted[0]) {
            perTenant.merge(session.tenantId(), 1, Integer::sum);
        }
        return session;
    }

    /** Sessions the tenant holds here. */
    public int heldBy(String tenantId) {
        return perTenant.getOrDefault(tenantId, 0);
    }

    public Optional<RealtimeSession> find(String sessionId) {
        return sessionId == null ? Optional.empty() : Optional.ofNullable(sessions.get(sessionId));
    }

    /** Sessions connected here that belong to {@code callId} of {@code tenantId}. */
    public List<RealtimeSession> ofCall(String tenantId, String callId) {
        var members = new ArrayList<RealtimeSession>();
        for (var session : sessions.values()) {
            if (session.tenantId().equals(tenantId) && session.settings().voicecoach().callId().equals(callId)) {
                members.add(session);
            }
        }
        return members;
    }

    public Collection<RealtimeSession> all() {
        return sessions.values();
    }

    /** Forgets the session; true the first time (only one caller ends a session). */
    public boolean close(RealtimeSession session) {
        if (!sessions.remove(session.id(), session)) {
            return false;
        }
        perTenant.computeIfPresent(session.tenantId(), (tenant, count) -> count > 1 ? count - 1 : null);
        return true;
    }
}
