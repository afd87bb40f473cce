package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Optional;

/**
 * Erasure of what the services remember about a session, or about every session of the envelope's tenant: whoever
 * keeps per-session state deletes the tenant's state for it (coaching: its Kafka Streams stores). For {@code scope}
 * {@code session} the record is keyed by the session id like every other; for {@code tenant} one record goes to every
 * partition (key {@code erase:<tenant>}, envelope {@code sessionId} the same), so each partition's owner erases what
 * it holds of the tenant.
 *
 * @param scope       {@code session} or {@code tenant}
 * @param requestedBy who asked (e.g. {@code api}), for the audit log
 */
@RegisterForReflection
public record SessionErased(String scope, String requestedBy) implements SessionEvent {

    public static final String SESSION = "session";
    public static final String TENANT = "tenant";

    /**
     * What a decoded record asks to erase: empty when it is no {@code session.erased}, has no tenant, names an unknown
     * scope, or has scope {@code session} without a session id.
     */
    public static Optional<Target> targetOf(Event<?> event) {
        if (!(event.payload() instanceof SessionErased erased) || blank(event.tenantId())) {
            return Optional.empty();
        }
        if (TENANT.equals(erased.scope())) {
            return Optional.of(new Target(event.tenantId(), null));
        }
        if (SESSION.equals(erased.scope()) && !blank(event.sessionId())) {
            return Optional.of(new Target(event.tenantId(), event.sessionId()));
        }
        return Optional.empty();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /** One erasure: every session of {@code tenantId} when {@code sessionId} is null, else that session of it. */
    public record Target(String tenantId, String sessionId) {

        public boolean wholeTenant() {
            return sessionId == null;
        }
    }
}
