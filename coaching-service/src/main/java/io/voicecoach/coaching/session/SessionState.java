package io.voicecoach.coaching.session;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.coaching.agent.AgentState;
import io.voicecoach.coaching.nudge.NudgeState;
import io.voicecoach.coaching.stage.ProgressState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything coaching remembers about one session of one tenant, in the {@code coaching-sessions} store (changelog
 * backed) under {@link SessionKeys#of}: the outgoing {@code seq}, recent input event ids (de-duplication), talk
 * measures and cool-downs, the call it is a leg of, the call's stage, battle cards awaited, the voice agent's mode and reply, and the post-call
 * summary being written.
 */
@RegisterForReflection
public final class SessionState {

    /**
     * Input event ids remembered per session to drop a redelivered (or re-published) event; a repeat comes within a
     * few events of the original (a producer retry, a client resend), and the list is rewritten with every event.
     */
    static final int RECENT_EVENTS = 64;

    /** A battle card asked of tool-service for an objection's suggestion. */
    @RegisterForReflection
    public record PendingCard(String suggestionId, String utteranceId, UUID triggerEventId, Instant deadline) {
    }

    /** The end-of-call checklist, closed at {@code at} (transcripts of the call's last words may still come). */
    @RegisterForReflection
    public record PendingClose(UUID endedEventId, Instant at) {
    }

    /** The post-call summary being written, until the instance running it says it finished. */
    @RegisterForReflection
    public record PendingSummary(UUID endedEventId, int run) {
    }

    String tenantId;
    String sessionId;
    long seq;
    /** Event time of the latest input (inactivity TTL). */
    Instant lastEventAt;
    /** {@code session.ended} was seen; the state goes once nothing is awaited any more. */
    boolean ended;
    /** {@code session.erased}: only this marker is left (until the inactivity TTL); later events are dropped. */
    boolean erased;
    final List<UUID> recentEvents = new ArrayList<>();
    NudgeState nudges;
    final ProgressState progress = new ProgressState();
    final Map<String, PendingCard> cards = new LinkedHashMap<>();
    final AgentState agent = new AgentState();
    PendingSummary summary;
    PendingClose closing;
    /** The call this session is a leg of ({@code session.started}'s {@code callId}); null before it or when not joined. */
    String callId;

    SessionState() {
    }

    SessionState(String tenantId, String sessionId, NudgeState nudges) {
        this.tenantId = tenantId;
        this.sessionId = sessionId;
        this.nudges = nudges;
    }

    /** True the first time {@code eventId} is offered (remembered among the last {@link #RECENT_EVENTS}). */
    boolean firstTime(UUID eventId) {
        if (recentEvents.contains(eventId)) {
            return false;
        }
        recentEvents.add(eventId);
        if (recentEvents.size() > RECENT_EVENTS) {
            recentEvents.removeFirst();
        }
        return true;
    }

    public String tenantId() {
        return tenantId;
    }

    public String sessionId() {
        return sessionId;
    }

    /** {@code session.ended} was seen. */
    public boolean ended() {
        return ended;
    }

    public AgentState agent() {
        return agent;
    }

    public ProgressState progress() {
        return progress;
    }

    public NudgeState nudges() {
        return nudges;
    }
}
