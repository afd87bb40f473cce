package io.voicecoach.analytics.api;

import io.voicecoach.analytics.auth.CallerTenant;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Sessions of the calling tenant. Another tenant's session is answered exactly like one that does not exist. */
@Path("/api/v1/sessions")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    private static final int MAX_ID_LENGTH = 200;

    private final SessionQueries queries;
    private final CallerTenant caller;

    public SessionResource(SessionQueries queries, CallerTenant caller) {
        this.queries = queries;
        this.caller = caller;
    }

    @GET
    public SessionSummary.Page latest(@QueryParam("limit") String limit) {
        return new SessionSummary.Page(queries.latest(caller.id(), parseLimit(limit)));
    }

    @GET
    @Path("/{sessionId}")
    public SessionDetail session(@PathParam("sessionId") String sessionId) {
        if (sessionId.isBlank() || sessionId.length() > MAX_ID_LENGTH) {
            throw new BadRequestException("sessionId must be 1 to " + MAX_ID_LENGTH + " characters");
        }
        return queries.detail(caller.id(), sessionId)
                .orElseThrow(() -> new NotFoundException("no session " + sessionId));
    }

    private static int parseLimit(String limit) {
        if (limit == null || limit.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadRequestException("limit must be an integer from 1 to " + MAX_LIMIT);
    }
}
