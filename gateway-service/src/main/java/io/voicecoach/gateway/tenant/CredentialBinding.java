package io.voicecoach.gateway.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a client secret is bound to (chosen when it is minted; API keys are never bound). {@code callId} and
 * {@code role} come together: the secret opens (and resumes) only that leg of that call. {@code sessionId}: it only
 * resumes that session. Shown as {@code voicecoach} in the mint answer.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CredentialBinding(@JsonProperty("call_id") String callId, @JsonProperty("role") String role,
                                @JsonProperty("session_id") String sessionId) {

    public boolean boundToCall() {
        return callId != null;
    }

    public boolean boundToSession() {
        return sessionId != null;
    }

    /** The binding of stored columns, null when all are null (an unbound secret). */
    static CredentialBinding of(String callId, String role, String sessionId) {
        return callId == null && role == null && sessionId == null ? null
                : new CredentialBinding(callId, role, sessionId);
    }
}
