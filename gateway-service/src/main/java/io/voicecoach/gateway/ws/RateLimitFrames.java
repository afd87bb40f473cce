package io.voicecoach.gateway.ws;

import io.voicecoach.gateway.limits.LimitsConfig;
import io.voicecoach.gateway.limits.RequestRates;
import io.voicecoach.gateway.limits.TokenBucket;
import io.voicecoach.gateway.realtime.RealtimeJson;
import io.voicecoach.gateway.realtime.ServerEvent;
import io.voicecoach.gateway.realtime.ServerEvent.RateLimit;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.session.SessionRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;

/**
 * {@code rate_limits.updated} with the limits the gateway enforces on a client: its appends
 * ({@code input_audio_buffer.append}, {@code voicecoach.limits.appends-per-second}) as the GA {@code requests} limit
 * (what is left in the bucket and when it is full again), and its tenant's sessions on this instance
 * ({@code voicecoach.limits.sessions-per-tenant}) under {@code voicecoach.sessions}, and the session's and tenant's
 * budgets of {@code conversation.item.create} and {@code response.create} under {@code voicecoach.items|responses}.
 * Sent after {@code session.created}, with the first refused append of a burst and with every refused item or
 * response.
 */
@ApplicationScoped
class RateLimitFrames {

    static final String APPENDS = "input_audio_buffer.append";

    private final SessionRegistry registry;
    private final LimitsConfig limits;
    private final RequestRates requests;

    RateLimitFrames(SessionRegistry registry, LimitsConfig limits, RequestRates requests) {
        this.registry = registry;
        this.limits = limits;
        this.requests = requests;
    }

    String frame(RealtimeSession session, SessionAudio audio) {
        var rateLimits = new ArrayList<RateLimit>(1);
        var rate = audio == null ? null : audio.appendRate();
        if (rate != null) {
            rateLimits.add(new RateLimit(RateLimit.REQUESTS, rate.perSecond(), rate.remaining(),
                    Math.round(rate.secondsToFull() * 1000) / 1000.0));
        }
        int sessions = limits.sessionsPerTenant();
        var held = new ServerEvent.SessionLimit(sessions, Math.max(0, sessions - registry.heldBy(session.tenantId())));
        return RealtimeJson.frame(new ServerEvent.RateLimitsUpdated(rateLimits,
                new ServerEvent.LimitNotes(APPENDS, held, budget(session, RequestRates.Kind.ITEMS),
                        budget(session, RequestRates.Kind.RESPONSES))));
    }

    private ServerEvent.RequestLimit budget(RealtimeSession session, RequestRates.Kind kind) {
        var own = requests.session(session.id(), kind);
        var tenant = requests.tenant(session.tenantId(), kind);
        return new ServerEvent.RequestLimit(own.capacity(), own.remaining(), seconds(own),
                new ServerEvent.Budget(tenant.capacity(), tenant.remaining(), seconds(tenant)));
    }

    private static double seconds(TokenBucket bucket) {
        return Math.round(bucket.secondsToFull() * 1000) / 1000.0;
    }
}
