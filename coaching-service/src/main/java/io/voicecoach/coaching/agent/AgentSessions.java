package io.voicecoach.coaching.agent;

import io.voicecoach.coaching.BoundedLru;
import io.voicecoach.coaching.CoachingConfig;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.ResponseCancelRequested;
import io.voicecoach.events.ResponseRequested;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.SessionUpdated;
import io.voicecoach.events.SpeechStarted;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/**
 * Which sessions are in {@code agent} mode ({@code session.started}, {@code session.updated}) and what they ask of
 * the agent: a final customer transcript or {@code response.requested} starts a reply; the customer starting to speak
 * ({@code speech.started} on the customer track) or {@code response.cancel_requested} cancels the one being spoken
 * (barge-in); {@code session.ended} cancels and forgets. State is per tenant and session, LRU-bounded.
 */
@ApplicationScoped
public class AgentSessions {

    private final BoundedLru<String, AgentSession> sessions;
    private final BoundedLru<UUID, Boolean> seen;
    private final AgentLoop loop;

    public AgentSessions(CoachingConfig config, AgentLoop loop) {
        this.sessions = new BoundedLru<>(config.sessionCapacity());
        this.seen = new BoundedLru<>(config.dedupCapacity());
        this.loop = loop;
    }

    public boolean inAgentMode(String tenantId, String sessionId) {
        var session = sessions.get(key(tenantId, sessionId));
        return session != null && session.agentMode();
    }

    /** True when the session is in agent mode: the agent answers and the transcript needs no LLM coaching. */
    public boolean onFinalTranscript(Envelope event, Transcript transcript) {
        var session = sessions.get(key(event.tenantId(), event.sessionId()));
        if (session == null) {
            return false;
        }
        synchronized (session) {
            if (!session.agentMode()) {
                return false;
            }
        }
        if (Track.CUSTOMER.equals(transcript.track()) && !transcript.text().isBlank()) {
            loop.start(session, event.eventId(), transcript.text(), null);
        }
        return true;
    }

    public void onSessionEvent(Envelope event) {
        if (!seen.putIfAbsent(event.eventId(), Boolean.TRUE)) {
            return; // redelivered
        }
        switch (event.type()) {
            case EventTypes.SESSION_STARTED -> {
                var started = event.payloadAs(SessionStarted.class);
                var session = state(event);
                synchronized (session) {
                    session.mode = started.mode() == null ? "coach" : started.mode();
                }
            }
            case EventTypes.SESSION_UPDATED -> {
                var updated = event.payloadAs(SessionUpdated.class);
                var session = state(event);
                synchronized (session) {
                    if (updated.mode() != null) {
                        session.mode = updated.mode();
                        if (!session.agentMode() && session.running != null) {
                            session.running.cancel();
                        }
                    }
                    if (updated.instructions() != null) {
                        session.instructions = updated.instructions();
                    }
                }
            }
            case EventTypes.SPEECH_STARTED -> {
                if (Track.CUSTOMER.equals(event.payloadAs(SpeechStarted.class).track())) {
                    cancel(event, null);
                }
            }
            case EventTypes.RESPONSE_CANCEL_REQUESTED -> cancel(event, event.payloadAs(ResponseCancelRequested.class).responseId());
            case EventTypes.RESPONSE_REQUESTED -> {
                var requested = event.payloadAs(ResponseRequested.class);
                var session = sessions.get(key(event.tenantId(), event.sessionId()));
                if (session != null && session.agentMode()) {
                    loop.start(session, event.eventId(), null, requested.instructions());
                }
            }
            case EventTypes.SESSION_ENDED -> {
                cancel(event, null);
                sessions.remove(key(event.tenantId(), event.sessionId()));
            }
            default -> {
            }
        }
    }

    private void cancel(Envelope event, String responseId) {
        var session = sessions.get(key(event.tenantId(), event.sessionId()));
        if (session == null) {
            return;
        }
        Reply running;
        synchronized (session) {
            running = session.running;
        }
        if (running != null && (responseId == null || responseId.isBlank() || responseId.equals(running.responseId))) {
            running.cancel();
        }
    }

    private AgentSession state(Envelope event) {
        return sessions.computeIfAbsent(key(event.tenantId(), event.sessionId()),
                k -> new AgentSession(event.tenantId(), event.sessionId()));
    }

    private static String key(String tenantId, String sessionId) {
        return tenantId + "/" + sessionId;
    }
}
