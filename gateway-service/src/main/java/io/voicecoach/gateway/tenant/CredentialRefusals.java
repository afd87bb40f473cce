package io.voicecoach.gateway.tenant;

import io.voicecoach.platform.problem.Problem;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/** The 401 a refused credential gets, on the HTTP API and at the WebSocket upgrade: its code says why. */
public final class CredentialRefusals {

    private static final Map<String, String> DETAILS = Map.of(
            Verification.MISSING, "no credential: send Authorization: Bearer <API key or client secret>",
            Verification.INVALID, "unknown API key or client secret",
            Verification.EXPIRED, "the credential has expired",
            Verification.REVOKED, "the credential (or the API key that minted it) has been revoked",
            Verification.TENANT_SUSPENDED, "the tenant is suspended");

    /** {@code code} is one of the {@link Verification} refusal codes. */
    public static Problem problem(String code) {
        return Problem.of(Response.Status.UNAUTHORIZED, code, DETAILS.getOrDefault(code, "refused credential"));
    }

    private CredentialRefusals() {
    }
}
