package io.voicecoach.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.gateway.tenant.CredentialBinding;

/** OpenAI's answer shape: the secret and its expiry in epoch seconds; plus what it is bound to, when it is. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientSecretCreated(String value, @JsonProperty("expires_at") long expiresAt,
                                  CredentialBinding voicecoach) {
}
