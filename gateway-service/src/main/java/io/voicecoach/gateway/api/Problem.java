package io.voicecoach.gateway.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.gateway.tenant.Verification;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/** RFC 9457 problem details, sent as {@value #MEDIA_TYPE}; {@code code} is the machine-readable reason. */
@RegisterForReflection
public record Problem(String type, String title, int status, String detail, String code) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static final String INVALID_API_KEY = "missing, unknown or revoked API key (Authorization: Bearer <key>)";

    private static final Map<String, String> CREDENTIAL_DETAILS = Map.of(
            Verification.MISSING, "no credential: send Authorization: Bearer <API key or client secret>",
            Verification.INVALID, "unknown API key or client secret",
            Verification.EXPIRED, "the credential has expired",
            Verification.REVOKED, "the credential (or the API key that minted it) has been revoked",
            Verification.TENANT_SUSPENDED, "the tenant is suspended");

    public static Problem unauthorized(String detail) {
        return new Problem("urn:voicecoach:problem:unauthorized", "Unauthorized", 401, detail, Verification.INVALID);
    }

    /** 401 for a refused credential, {@code code} one of the {@link Verification} refusal codes. */
    public static Problem refusedCredential(String code) {
        return new Problem("urn:voicecoach:problem:" + code, "Unauthorized", 401,
                CREDENTIAL_DETAILS.getOrDefault(code, "refused credential"), code);
    }

    public static Problem of(int status, String title, String code, String detail) {
        return new Problem("urn:voicecoach:problem:" + code, title, status, detail, code);
    }

    public Response toResponse() {
        var response = Response.status(status).type(MEDIA_TYPE).entity(this);
        if (status == 401) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return response.build();
    }
}
