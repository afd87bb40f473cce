package io.voicecoach.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.voicecoach.gateway.api.JsonBody;
import io.voicecoach.gateway.tenant.ApiKeys;
import io.voicecoach.gateway.tenant.Tenant;
import io.voicecoach.gateway.tenant.TenantDirectory;
import io.voicecoach.platform.problem.Problem;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The operator's API ({@link OperatorPolicy} guards it): tenants and their API keys. Every key operation is scoped by
 * the tenant in the path: a key of another tenant is "not found".
 */
@Path("/admin/v1/tenants")
@RunOnVirtualThread
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    private static final Pattern TENANT_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{1,62}");
    private static final int MAX_NAME = 200;

    private final TenantDirectory directory;
    private final ApiKeys apiKeys;
    private final AdminConfig config;

    public AdminResource(TenantDirectory directory, ApiKeys apiKeys, AdminConfig config) {
        this.directory = directory;
        this.apiKeys = apiKeys;
        this.config = config;
    }

    /** {@code {"id": "acme", "name": "Acme Motors"}}; the id defaults to a generated one. */
    @POST
    public Response createTenant(String json) {
        JsonNode body;
        try {
            body = JsonBody.parse(json);
        } catch (IllegalArgumentException e) {
            return invalid(e.getMessage());
        }
        String name = text(body, "name");
        String id = text(body, "id");
        if (name == null || name.isBlank() || name.length() > MAX_NAME) {
            return invalid("name is required, 1 to " + MAX_NAME + " characters");
        }
        if (id == null) {
            id = "t_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        } else if (!TENANT_ID.matcher(id).matches()) {
            return invalid("id must match " + TENANT_ID.pattern());
        }
        if (!directory.createTenant(id, name)) {
            return Problem.of(Response.Status.CONFLICT, "tenant_exists", "tenant " + id + " already exists")
                    .toResponse();
        }
        return Response.status(201).entity(AdminViews.TenantView.of(directory.tenant(id).orElseThrow())).build();
    }

    @GET
    public List<AdminViews.TenantView> tenants() {
        return directory.tenants().stream().map(AdminViews.TenantView::of).toList();
    }

    @GET
    @Path("/{tenantId}")
    public Response tenant(@PathParam("tenantId") String tenantId) {
        return directory.tenant(tenantId).map(t -> Response.ok(AdminViews.TenantView.of(t)).build())
                .orElseGet(() -> tenantNotFound(tenantId));
    }

    /** {@code {"status": "active" | "suspended"}}; other instances see it after the credential cache TTL. */
    @PATCH
    @Path("/{tenantId}")
    public Response setStatus(@PathParam("tenantId") String tenantId, String json) {
        JsonNode body;
        try {
            body = JsonBody.parse(json);
        } catch (IllegalArgumentException e) {
            return invalid(e.getMessage());
        }
        String status = text(body, "status");
        if (!Tenant.ACTIVE.equals(status) && !Tenant.SUSPENDED.equals(status)) {
            return invalid("status must be active or suspended");
        }
        var tenant = directory.setStatus(tenantId, status);
        apiKeys.evictAll();
        return tenant.map(t -> Response.ok(AdminViews.TenantView.of(t)).build())
                .orElseGet(() -> tenantNotFound(tenantId));
    }

    @POST
    @Path("/{tenantId}/api-keys")
    public Response createKey(@PathParam("tenantId") String tenantId) {
        if (directory.tenant(tenantId).isEmpty()) {
            return tenantNotFound(tenantId);
        }
        return Response.status(201).entity(newKey(tenantId, null)).build();
    }

    @GET
    @Path("/{tenantId}/api-keys")
    public Response keys(@PathParam("tenantId") String tenantId) {
        if (directory.tenant(tenantId).isEmpty()) {
            return tenantNotFound(tenantId);
        }
        return Response.ok(directory.keysOf(tenantId).stream().map(AdminViews.ApiKeyView::of).toList()).build();
    }

    /**
     * Issues a new key and retires the old one after {@code grace_seconds} (body, optional; default
     * {@code voicecoach.admin.key-rotation-grace}); 0 revokes it at once.
     */
    @POST
    @Path("/{tenantId}/api-keys/{keyId}/rotate")
    public Response rotate(@PathParam("tenantId") String tenantId, @PathParam("keyId") String keyId,
                           String json) {
        JsonNode body;
        try {
            body = JsonBody.parse(json);
        } catch (IllegalArgumentException e) {
            return invalid(e.getMessage());
        }
        var grace = config.keyRotationGrace();
        var asked = body == null || body.isNull() ? null : body.get("grace_seconds");
        if (asked != null && !asked.isNull()) {
            if (!asked.isIntegralNumber() || asked.longValue() < 0) {
                return invalid("grace_seconds must be a non-negative integer");
            }
            grace = Duration.ofSeconds(asked.longValue());
        }
        var old = directory.keyOf(tenantId, keyId).orElse(null);
        if (old == null) {
            return keyNotFound(keyId);
        }
        if (old.revoked()) {
            return Problem.of(Response.Status.CONFLICT, "api_key_revoked", "key " + keyId + " is revoked").toResponse();
        }
        var retired = directory.retireKey(tenantId, keyId, grace.isZero() ? null : Instant.now().plus(grace))
                .orElseThrow();
        apiKeys.evictAll();
        return Response.status(201).entity(newKey(tenantId, AdminViews.ApiKeyView.of(retired))).build();
    }

    /** Revokes at once, with every client secret the key minted; repeating it is harmless. */
    @DELETE
    @Path("/{tenantId}/api-keys/{keyId}")
    public Response revoke(@PathParam("tenantId") String tenantId, @PathParam("keyId") String keyId) {
        var revoked = directory.retireKey(tenantId, keyId, null);
        apiKeys.evictAll();
        return revoked.map(key -> Response.ok(AdminViews.ApiKeyView.of(key)).build())
                .orElseGet(() -> keyNotFound(keyId));
    }

    private AdminViews.CreatedKey newKey(String tenantId, AdminViews.ApiKeyView replaced) {
        String secret = ApiKeys.newApiKey();
        var key = directory.createKey(tenantId, ApiKeys.hash(secret), secret.substring(0, ApiKeys.PREFIX_LENGTH));
        return new AdminViews.CreatedKey(key.id, tenantId, secret, key.keyPrefix, key.createdAt, replaced);
    }

    private static String text(JsonNode body, String field) {
        if (body == null || !body.isObject()) {
            return null;
        }
        var value = body.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    private static Response invalid(String detail) {
        return Problem.of(Response.Status.BAD_REQUEST, "invalid_request", detail).toResponse();
    }

    private static Response tenantNotFound(String tenantId) {
        return Problem.of(Response.Status.NOT_FOUND, "tenant_not_found", "no tenant " + tenantId).toResponse();
    }

    private static Response keyNotFound(String keyId) {
        return Problem.of(Response.Status.NOT_FOUND, "api_key_not_found", "this tenant has no key " + keyId)
                .toResponse();
    }
}
