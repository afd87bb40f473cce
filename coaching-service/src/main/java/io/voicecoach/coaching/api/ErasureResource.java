package io.voicecoach.coaching.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.coaching.erasure.Erasures;
import io.voicecoach.platform.security.CallerTenant;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Right to erasure for what coaching remembers of calls (talk measures, stage, conversation and agent history in the
 * session stores): 202 once the request is on Kafka; the owner of the session's partition erases it within moments.
 * Scoped to the caller's tenant: another tenant's session of the same id is untouched.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "erasure")
public class ErasureResource {

    /** What was asked: {@code eventIds} of the {@code session.erased} events published. */
    @RegisterForReflection
    public record Accepted(String scope, List<UUID> eventIds) {
    }

    private final Erasures erasures;
    private final CallerTenant caller;

    public ErasureResource(Erasures erasures, CallerTenant caller) {
        this.erasures = erasures;
        this.caller = caller;
    }

    @DELETE
    @Path("/sessions/{sessionId}/memory")
    @Operation(summary = "Erase coaching's state of one of the tenant's sessions (202: requested)")
    public CompletionStage<Response> session(@PathParam("sessionId") @NotBlank @Size(max = 200) String sessionId) {
        return erasures.session(caller.id(), sessionId).thenApply(id ->
                Response.accepted(new Accepted("session", List.of(id))).build());
    }

    @DELETE
    @Path("/memory")
    @Operation(summary = "Erase coaching's state of every session of the tenant (202: requested on every partition)")
    public CompletionStage<Response> tenant() {
        return erasures.tenant(caller.id()).thenApply(ids ->
                Response.accepted(new Accepted("tenant", ids)).build());
    }
}
