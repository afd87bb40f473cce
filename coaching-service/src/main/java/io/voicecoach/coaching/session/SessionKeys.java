package io.voicecoach.coaching.session;

/**
 * Store keys: session id, a NUL, tenant id. Records are keyed by session id alone; the tenant in the key keeps two
 * tenants' events for one session id apart (as every other per-tenant state), and the session id first lets a
 * prefix scan find whether another tenant's state waits for a tool result (a forged result is then counted as such).
 */
final class SessionKeys {

    private static final char SEPARATOR = '\u0000';

    static String of(String sessionId, String tenantId) {
        return sessionId + SEPARATOR + tenantId;
    }

    /** The tenant part of a store key. */
    static String tenantOf(String key) {
        return key.substring(key.lastIndexOf(SEPARATOR) + 1);
    }

    static String prefix(String sessionId) {
        return sessionId + SEPARATOR;
    }

    private SessionKeys() {
    }
}
