package io.voicecoach.events.internal;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * 200 body of the gateway's {@code POST /internal/v1/credentials/verify}: the tenant of the presented credential
 * (a refused one is a 401 problem+json).
 */
@RegisterForReflection
public record VerifiedCredential(String tenantId) {
}
