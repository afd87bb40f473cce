package io.voicecoach.gateway.session;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.voicecoach.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The sessions whose clients are connected to this instance; fan-out consumers find them here by session id. */
@ApplicationScoped
public class SessionRegistry {

    private final Map<String, RealtimeSession> sessions = new ConcurrentHashMap<>();
    private final int recentIdCapacity;

    public SessionRegistry(GatewayConfig config, MeterRegistry meters) {
        this.recentIdCapacity = config.recentIdsPerSession();
        Gauge.builder("voicecoach.gateway.sessions.open", sessions, Map::size)
                .description("Client sessions connected to this instance").register(meters);
    }

    public RealtimeSession open(String tenantId, ClientChannel channel) {
        return open(tenantId, channel, null);
    }

    /** Opens a session; {@code settings} (null: the defaults) may name another call id and role. */
    public RealtimeSession open(String tenantId, ClientChannel channel, SessionSettings settings) {
        var session = new RealtimeSession(Ids.session(), tenantId, channel, recentIdCapacity);
        if (settings != null) {
            session.configure(settings);
        }
        sessions.put(session.id(), session);
        return session;
    }

    public Optional<RealtimeSession> find(String sessionId) {
        return sessionId == null ? Optional.empty() : Optional.ofNullable(sessions.get(sessionId));
    }

    /** Sessions connected here that belong to {@code callId} of {@code tenantId}. */
    public List<RealtimeSession> ofCall(String tenantId, String callId) {
        var members = new ArrayList<RealtimeSession>();
        for (var session : sessions.values()) {
            if (session.tenantId().equals(tenantId) && session.settings().callId().equals(callId)) {
                members.add(session);
            }
        }
        return members;
    }

    public void close(RealtimeSession session) {
        sessions.remove(session.id(), session);
    }
}
