package io.voicecoach.gateway.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** OpenAI's answer shape: the secret and its expiry in epoch seconds. */
@RegisterForReflection
public record ClientSecretCreated(String value, @JsonProperty("expires_at") long expiresAt) {
}
