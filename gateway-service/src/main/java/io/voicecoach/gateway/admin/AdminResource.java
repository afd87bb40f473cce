package io.voicecoach.gateway.admin;

import io.smallrye.common.annotation.RunOnVirtualThread;
import io.voicecoach.gateway.tenant.ApiKeys;
import io.voicecoach.gateway.tenant.TenantDirectory;
import io.voicecoach.platform.problem.Problem;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
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

/**
 * The operator's API ({@link OperatorPolicy} guards it): tenants and their API keys. Every key operation is scoped by
 * the tenant in the path: a key of another tenant is "not found". Bodies are {@link AdminRequests} records, validated
 * before a method runs (400 {@code invalid_request} with {@code errors[{path, message}]}).
 */
@Path("/admin/v1/tenants")
@RunOnVirtualThread
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

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
    public Response createTenant(@Valid @NotNull AdminRequests.NewTenant body) {
        String id = body.id() != null ? body.id()
                : "t_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        if (!directory.createTenant(id, body.name())) {
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
    public Response setStatus(@PathParam("tenantId") String tenantId, @Valid @NotNull AdminRequests.TenantStatus body) {
        var tenant = directory.setStatus(tenantId, body.status());
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
                           @Valid AdminRequests.Rotation body) {
        var grace = body == null || body.graceSeconds() == null ? config.keyRotationGrace()
                : Duration.ofSeconds(body.graceSeconds());
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

    private static Response tenantNotFound(String tenantId) {
        return Problem.of(Response.Status.NOT_FOUND, "tenant_not_found", "no tenant " + tenantId).toResponse();
    }

    private static Response keyNotFound(String keyId) {
        return Problem.of(Response.Status.NOT_FOUND, "api_key_not_found", "this tenant has no key " + keyId)
                .toResponse();
    }
}
