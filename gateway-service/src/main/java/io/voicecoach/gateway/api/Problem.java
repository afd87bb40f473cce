package io.voicecoach.gateway.api;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** RFC 9457 problem details, sent as {@value #MEDIA_TYPE}. */
@RegisterForReflection
public record Problem(String type, String title, int status, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem unauthorized(String detail) {
        return new Problem("urn:voicecoach:problem:unauthorized", "Unauthorized", 401, detail);
    }

    public static final String INVALID_API_KEY = "missing, unknown or revoked API key (Authorization: Bearer <key>)";
}
