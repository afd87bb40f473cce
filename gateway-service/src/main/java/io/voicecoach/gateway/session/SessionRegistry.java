package io.voicecoach.gateway.session;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.voicecoach.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;

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
        var session = new RealtimeSession(Ids.session(), tenantId, channel, recentIdCapacity);
        sessions.put(session.id(), session);
        return session;
    }

    public Optional<RealtimeSession> find(String sessionId) {
        return sessionId == null ? Optional.empty() : Optional.ofNullable(sessions.get(sessionId));
    }

    public void close(RealtimeSession session) {
        sessions.remove(session.id(), session);
    }
}
