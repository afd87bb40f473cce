package io.voicecoach.gateway.api;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
public record VerifiedCredentials(String tenantId) {
}
