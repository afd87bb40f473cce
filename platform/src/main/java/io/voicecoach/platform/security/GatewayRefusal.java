package io.voicecoach.platform.security;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.voicecoach.platform.problem.AuthFailures;
import jakarta.ws.rs.core.Response;

import java.util.Set;

/**
 * A non-200 answer of the gateway's credential check, with the problem {@code code} and {@code detail} it carried
 * (null when the body was no problem document). Only a 401 with a tenant-credential code refuses the tenant's key;
 * the other answers (a refused service credential, 403, 5xx, a proxy's page) say nothing about it.
 */
public final class GatewayRefusal extends RuntimeException {

    /** The codes the gateway refuses a tenant's key with. */
    static final Set<String> TENANT_REFUSALS = Set.of("invalid_credentials", "expired_credentials",
            "revoked_credentials", "tenant_suspended");

    private final int status;
    private final String code;
    private final String detail;

    GatewayRefusal(int status, String code, String detail) {
        super("the gateway answered " + status + (code == null ? "" : " " + code), null, false, false);
        this.status = status;
        this.code = code;
        this.detail = detail;
    }

    static GatewayRefusal of(Response response) {
        String code = null;
        String detail = null;
        try {
            var body = response.hasEntity() ? new JsonObject(response.readEntity(String.class)) : null;
            if (body != null && body.getValue("code") instanceof String c) {
                code = c;
                detail = body.getValue("detail") instanceof String d ? d : null;
            }
        } catch (DecodeException | IllegalStateException | jakarta.ws.rs.ProcessingException e) {
            // not a problem document: an answer that names no code
        }
        return new GatewayRefusal(response.getStatus(), code, detail);
    }

    /** The gateway refused the tenant's key (and not this service's own credential). */
    boolean refusesTenantKey() {
        return status == 401 && TENANT_REFUSALS.contains(code);
    }

    /** The gateway did not take this service for a service: its credential is wrong or missing. */
    boolean refusesServiceCredential() {
        return (status == 401 && AuthFailures.SERVICE_REFUSED.equals(code)) || status == 403;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String detail() {
        return detail;
    }
}
