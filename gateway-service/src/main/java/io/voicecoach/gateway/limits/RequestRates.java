package io.voicecoach.gateway.limits;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Budgets for the client requests that start work downstream: {@code conversation.item.create} (a transcript, or an
 * item the voice agent reads) and {@code response.create} (an LLM call). Each kind has a bucket per session and one
 * per tenant on this instance; a request needs a token from both.
 */
@ApplicationScoped
public class RequestRates {

    public enum Kind { ITEMS, RESPONSES }

    public enum Admission { ADMITTED, SESSION_LIMITED, TENANT_LIMITED }

    private record Key(String owner, Kind kind) {
    }

    private final LimitsConfig limits;
    private final Map<Key, TokenBucket> sessions = new ConcurrentHashMap<>();
    private final Map<Key, TokenBucket> tenants = new ConcurrentHashMap<>();

    public RequestRates(LimitsConfig limits) {
        this.limits = limits;
    }

    /** Takes a token of {@code kind} from the session's and the tenant's bucket, or says which one is empty. */
    public Admission admit(String tenantId, String sessionId, Kind kind) {
        var session = session(sessionId, kind);
        if (!session.tryAcquire()) {
            return Admission.SESSION_LIMITED;
        }
        if (!tenant(tenantId, kind).tryAcquire()) {
            session.giveBack();
            return Admission.TENANT_LIMITED;
        }
        return Admission.ADMITTED;
    }

    public TokenBucket session(String sessionId, Kind kind) {
        return sessions.computeIfAbsent(new Key(sessionId, kind), key -> TokenBucket.perMinute(
                kind == Kind.ITEMS ? limits.itemsPerMinute() : limits.responsesPerMinute()));
    }

    public TokenBucket tenant(String tenantId, Kind kind) {
        return tenants.computeIfAbsent(new Key(tenantId, kind), key -> TokenBucket.perMinute(
                kind == Kind.ITEMS ? limits.tenantItemsPerMinute() : limits.tenantResponsesPerMinute()));
    }

    /** The session ended (or moved to another instance): its buckets go. */
    public void forget(String sessionId) {
        for (var kind : Kind.values()) {
            sessions.remove(new Key(sessionId, kind));
        }
    }
}
