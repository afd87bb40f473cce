package io.voicecoach.gateway.fanout;

import io.voicecoach.gateway.failover.SessionStore;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.session.SessionRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * Which call a session belongs to, so that what the pipeline produces for one leg of a call (a customer connection, a
 * Twilio stream) reaches the rep's connections of the same call and tenant. Sessions held here answer from the
 * registry; sessions held by other instances from their snapshots on {@code gateway.sessions} (every open session
 * of every instance, read from the beginning, so calls that began before this instance started are known too).
 */
@ApplicationScoped
public class CallDirectory {

    private final SessionRegistry registry;
    private final SessionStore store;

    public CallDirectory(SessionRegistry registry, SessionStore store) {
        this.registry = registry;
        this.store = store;
    }

    /**
     * The connections here that receive what is produced for {@code sessionId} of {@code tenantId}: the session itself
     * if it takes events of its own ({@code includeOwn} decides for non-rep roles), and every rep connection of its
     * call. A session held here by another tenant yields nothing.
     */
    public List<RealtimeSession> recipients(String tenantId, String sessionId, boolean includeOwn) {
        var own = registry.find(sessionId).orElse(null);
        if (own != null && !own.tenantId().equals(tenantId)) {
            return List.of();
        }
        var recipients = new ArrayList<RealtimeSession>();
        if (own != null && (includeOwn || own.settings().voicecoach().receivesSuggestions())) {
            recipients.add(own);
        }
        String callId = own != null ? own.settings().voicecoach().callId() : store.callOf(tenantId, sessionId);
        if (callId != null) {
            for (var member : registry.ofCall(tenantId, callId)) {
                if (member != own && member.settings().voicecoach().receivesSuggestions()) {
                    recipients.add(member);
                }
            }
        }
        return recipients;
    }

    /** The ids of the sessions of {@code session}'s call, on any instance, itself included. */
    public List<String> legsOf(RealtimeSession session) {
        var legs = new ArrayList<String>();
        legs.add(session.id());
        for (String id : store.sessionsOfCall(session.tenantId(), session.settings().voicecoach().callId())) {
            if (!legs.contains(id)) {
                legs.add(id);
            }
        }
        for (var member : registry.ofCall(session.tenantId(), session.settings().voicecoach().callId())) {
            if (!legs.contains(member.id())) {
                legs.add(member.id());
            }
        }
        return legs;
    }
}
