package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

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
}
