package io.voicecoach.gateway.fanout;

import io.smallrye.mutiny.Uni;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.InvalidEventException;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.session.SessionRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which call a session belongs to, so that what the pipeline produces for one leg of a call (a customer connection, a
 * Twilio stream) reaches the rep's connections of the same call and tenant. Sessions held here answer from the
 * registry; sessions held by other instances are learned from {@code session.started} on {@code voice.sessions}
 * (per-instance consumer group, forgotten at {@code session.ended} or beyond a bound).
 */
@ApplicationScoped
public class CallDirectory {

    private static final Logger LOG = Logger.getLogger(CallDirectory.class);
    private static final int REMOTE_SESSIONS = 100_000;

    private final SessionRegistry registry;
    private final Map<String, String> remoteCalls = Collections.synchronizedMap(
            new LinkedHashMap<>(1024, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > REMOTE_SESSIONS;
                }
            });

    public CallDirectory(SessionRegistry registry) {
        this.registry = registry;
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
        if (own != null && (includeOwn || own.settings().receivesSuggestions())) {
            recipients.add(own);
        }
        String callId = own != null ? own.settings().callId() : remoteCalls.get(key(tenantId, sessionId));
        if (callId != null) {
            for (var member : registry.ofCall(tenantId, callId)) {
                if (member != own && member.settings().receivesSuggestions()) {
                    recipients.add(member);
                }
            }
        }
        return recipients;
    }

    @Incoming("calls")
    public Uni<Void> onSessionEvent(Message<String> record) {
        try {
            var envelope = EventJson.decode(record.getPayload());
            if (EventTypes.SESSION_STARTED.equals(envelope.type())) {
                var started = envelope.payloadAs(SessionStarted.class);
                if (started.callId() != null && registry.find(envelope.sessionId()).isEmpty()) {
                    remoteCalls.put(key(envelope.tenantId(), envelope.sessionId()), started.callId());
                }
            } else if (EventTypes.SESSION_ENDED.equals(envelope.type())) {
                remoteCalls.remove(key(envelope.tenantId(), envelope.sessionId()));
            }
        } catch (InvalidEventException e) {
            LOG.debugf("skipping undecodable voice.sessions record: %s", e.getMessage());
        }
        return Uni.createFrom().completionStage(record::ack);
    }

    private static String key(String tenantId, String sessionId) {
        return tenantId + '\n' + sessionId;
    }
}
