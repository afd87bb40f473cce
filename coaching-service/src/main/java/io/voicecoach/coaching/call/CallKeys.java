package io.voicecoach.coaching.call;

/**
 * Keys of {@code coach.call.talk} and of the {@code coaching-calls} store: tenant id, a NUL, call id. The same call id
 * under two tenants is two calls (the gateway never joins them either).
 */
public final class CallKeys {

    private static final char SEPARATOR = '\u0000';

    public static String of(String tenantId, String callId) {
        return tenantId + SEPARATOR + callId;
    }

    private CallKeys() {
    }
}
