package io.voicecoach.gateway.session;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Who opened a Realtime session, as its snapshot carries it to every instance: the credential's kind and id (never the
 * secret) and, for a client secret bound to a leg of a call, that call and role. It decides which calls the session
 * may join and who may resume it ({@code ws/CallAccess}).
 *
 * @param kind         {@link #API_KEY} or {@link #CLIENT_SECRET} (the credential's {@code Verification} kind)
 * @param credentialId the API key's id ({@code key_...}) or the client secret's ({@code cs_...})
 * @param callId       the call a bound secret opened; null for an API key or an unbound secret
 * @param role         the role within {@code callId}; null when {@code callId} is
 */
@RegisterForReflection
public record SessionOpener(String kind, String credentialId, String callId, String role) {

    public static final String API_KEY = "api_key";
    public static final String CLIENT_SECRET = "client_secret";

    public boolean byApiKey() {
        return API_KEY.equals(kind);
    }

    public boolean boundToCall() {
        return callId != null;
    }
}
