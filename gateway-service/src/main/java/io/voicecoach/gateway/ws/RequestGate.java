package io.voicecoach.gateway.ws;

import io.voicecoach.gateway.limits.LimitsConfig;
import io.voicecoach.gateway.limits.RequestRates;
import io.voicecoach.gateway.realtime.RealtimeError;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Lets a {@code conversation.item.create} or {@code response.create} through only within its session's and its
 * tenant's budget ({@link RequestRates}); a refused one is answered with {@code rate_limits.updated} and an error
 * ({@code rate_limit_exceeded} for the session's budget, {@code tenant_rate_limit_exceeded} for the tenant's).
 */
@ApplicationScoped
class RequestGate {

    private final RequestRates rates;
    private final RateLimitFrames frames;
    private final LimitsConfig limits;

    RequestGate(RequestRates rates, RateLimitFrames frames, LimitsConfig limits) {
        this.rates = rates;
        this.frames = frames;
        this.limits = limits;
    }

    /** Throws the refusal when the request is over a budget; the request was then not started. */
    void admit(ClientContext context, RequestRates.Kind kind) {
        var session = context.session();
        var admission = rates.admit(session.tenantId(), session.id(), kind);
        if (admission == RequestRates.Admission.ADMITTED) {
            return;
        }
        session.client().send(frames.frame(session, context.audio())).subscribe().with(ok -> { }, failure -> { });
        String event = kind == RequestRates.Kind.ITEMS ? "conversation.item.create" : "response.create";
        if (admission == RequestRates.Admission.SESSION_LIMITED) {
            int perMinute = kind == RequestRates.Kind.ITEMS ? limits.itemsPerMinute() : limits.responsesPerMinute();
            throw RealtimeError.invalid(RealtimeError.RATE_LIMIT_EXCEEDED, "more than " + perMinute + " " + event
                    + " a minute in this session: this one was dropped", null);
        }
        int perMinute = kind == RequestRates.Kind.ITEMS ? limits.tenantItemsPerMinute()
                : limits.tenantResponsesPerMinute();
        throw RealtimeError.invalid(RealtimeError.TENANT_RATE_LIMIT_EXCEEDED, "the tenant's sessions sent more than "
                + perMinute + " " + event + " a minute: this one was dropped", null);
    }
}
