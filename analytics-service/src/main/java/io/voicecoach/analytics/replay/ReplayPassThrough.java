package io.voicecoach.analytics.replay;

import io.smallrye.common.annotation.RunOnVirtualThread;
import io.voicecoach.platform.problem.Problem;
import io.voicecoach.platform.problem.ProblemException;
import io.voicecoach.platform.security.CallerTenant;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.util.function.Supplier;

/**
 * The dashboard's replay panel, locally: coaching-service's {@code POST /api/v1/replays} and
 * {@code GET /api/v1/playbook/versions} forwarded with the caller's own {@code Authorization} header, so coaching
 * authenticates the same tenant key and reads only that tenant's calls and versions. No service credential is ever
 * sent. In the cluster the Ingress routes these paths to coaching itself and this resource is not reached.
 */
@Path("/api/v1")
@Tag(name = "replay")
public class ReplayPassThrough {

    private static final Logger LOG = Logger.getLogger(ReplayPassThrough.class);

    private final CoachingReplayApi coaching;
    private final CallerTenant caller;

    public ReplayPassThrough(@RestClient CoachingReplayApi coaching, CallerTenant caller) {
        this.coaching = coaching;
        this.caller = caller;
    }

    @POST
    @Path("/replays")
    @Consumes(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    @Operation(summary = "coaching-service's replay (shadow mode) with the caller's own key: the same request, answer "
            + "and errors (coaching-service/README.md \"Replay\"); 502 coaching_unavailable when coaching cannot be "
            + "reached")
    public Response replay(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        return forward(() -> coaching.replay(authorization, body == null ? "" : body));
    }

    @GET
    @Path("/playbook/versions")
    @RunOnVirtualThread
    @Operation(summary = "coaching-service's playbook versions of the caller's tenant, for the replay panel")
    public Response versions(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return forward(() -> coaching.versions(authorization));
    }

    private Response forward(Supplier<Response> call) {
        String tenant = caller.id();
        try (Response answer = call.get()) {
            String body = answer.hasEntity() ? answer.readEntity(String.class) : null;
            var type = answer.getMediaType();
            return Response.status(answer.getStatus()).type(type == null ? MediaType.APPLICATION_JSON_TYPE : type)
                    .entity(body).build();
        } catch (ProcessingException unreachable) {
            LOG.warnf("coaching-service unreachable for tenant %s's replay: %s", tenant, unreachable.getMessage());
            throw new ProblemException(Problem.of(Response.Status.BAD_GATEWAY, "coaching_unavailable",
                    "coaching-service, which runs replays, cannot be reached"));
        }
    }
}
