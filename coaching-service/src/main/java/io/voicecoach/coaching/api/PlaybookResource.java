package io.voicecoach.coaching.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.coaching.CoachingConfig;
import io.voicecoach.coaching.detect.TenantEngines;
import io.voicecoach.coaching.playbook.Playbook;
import io.voicecoach.coaching.playbook.PlaybookLimits;
import io.voicecoach.coaching.playbook.PlaybookLoader;
import io.voicecoach.coaching.playbook.PlaybookStore;
import io.voicecoach.coaching.playbook.StoredPlaybook;
import io.voicecoach.platform.security.CallerTenant;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;

/**
 * The calling tenant's playbook, versioned: every PUT stores a new version and activates it; any version (0 is the
 * bundled default) can be activated again. The tenant comes from the API key ({@link CallerTenant}), never from the
 * request. Changes take effect for this instance's detection at once.
 */
@Path("/api/v1/playbook")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "playbook")
public class PlaybookResource {

    /** A playbook version as the API shows it; {@code version} 0 is the bundled default. */
    @RegisterForReflection
    public record PlaybookView(int version, boolean active, String source, Instant createdAt, Playbook playbook) {
    }

    /** One line of the version list. */
    @RegisterForReflection
    public record VersionSummary(int version, boolean active, String source, String name, Instant createdAt) {
    }

    private final PlaybookStore store;
    private final TenantEngines engines;
    private final CallerTenant caller;
    private final PlaybookLimits limits;

    public PlaybookResource(PlaybookStore store, TenantEngines engines, CallerTenant caller, CoachingConfig config) {
        this.store = store;
        this.engines = engines;
        this.caller = caller;
        this.limits = PlaybookLimits.of(config.playbooks().limits());
    }

    @GET
    @Operation(summary = "The active playbook (the bundled default, version 0, until the tenant stores one)")
    public PlaybookView active() {
        return view(store.active(caller.id()));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Store the body as the next version and activate it; 400 problem+json naming the JSON path "
            + "of each error when it is malformed, uses a pattern RE2 cannot run, or is larger than "
            + "voicecoach.coaching.playbooks.limits allow")
    public Response put(String body, @Context UriInfo uri) {
        var playbook = PlaybookLoader.parse("in the request body", body == null ? "" : body, limits);
        String tenant = caller.id();
        var stored = engines.change(tenant, () -> store.put(tenant, playbook));
        var location = uri.getBaseUriBuilder().path("/api/v1/playbook/versions/{n}").build(stored.version());
        return Response.created(location).entity(view(stored)).build();
    }

    @GET
    @Path("/versions")
    @Operation(summary = "Every version, newest first, ending with the bundled default (version 0)")
    public List<VersionSummary> versions() {
        return store.versions(caller.id()).stream()
                .map(v -> new VersionSummary(v.version(), v.active(), source(v), v.playbook().name(), v.createdAt()))
                .toList();
    }

    @GET
    @Path("/versions/{version}")
    @Operation(summary = "One version; 404 when the tenant has no such version")
    public PlaybookView version(@PathParam("version") int version) {
        return view(store.version(caller.id(), version).orElseThrow(() -> notFound(version)));
    }

    @POST
    @Path("/versions/{version}/activate")
    @Operation(summary = "Make a version active (0: back to the bundled default)")
    public PlaybookView activate(@PathParam("version") int version) {
        String tenant = caller.id();
        var stored = engines.change(tenant, () -> store.activate(tenant, version)).orElseThrow(() -> notFound(version));
        return view(stored);
    }

    @POST
    @Path("/rollback")
    @Operation(summary = "Activate the newest version older than the active one (the default when none is)")
    public PlaybookView rollback() {
        String tenant = caller.id();
        return view(engines.change(tenant, () -> store.rollback(tenant)));
    }

    private static NotFoundException notFound(int version) {
        return new NotFoundException("no playbook version " + version);
    }

    private static PlaybookView view(StoredPlaybook stored) {
        return new PlaybookView(stored.version(), stored.active(), source(stored), stored.createdAt(), stored.playbook());
    }

    private static String source(StoredPlaybook stored) {
        return stored.version() == StoredPlaybook.DEFAULT_VERSION ? "default" : "tenant";
    }
}
