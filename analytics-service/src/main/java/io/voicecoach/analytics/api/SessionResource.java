package io.voicecoach.analytics.api;

import io.voicecoach.platform.security.CallerTenant;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** Sessions of the calling tenant. Another tenant's session is answered exactly like one that does not exist. */
@Path("/api/v1/sessions")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    private static final int MAX_ID_LENGTH = 200;
    private static final String LIMIT = "|[1-9][0-9]?|100";

    private final SessionQueries queries;
    private final SessionSearch search;
    private final Erasure erasure;
    private final CallerTenant caller;

    public SessionResource(SessionQueries queries, SessionSearch search, Erasure erasure, CallerTenant caller) {
        this.queries = queries;
        this.search = search;
        this.erasure = erasure;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "List and search the tenant's sessions",
            description = "Latest first (startedAt, or first seen if not started; then sessionId). Cursor pagination: "
                    + "pass the previous page's nextCursor as cursor (opaque; null on the last page).")
    public SessionSummary.Page list(
            @QueryParam("limit") @Parameter(description = "page size, 1..100, default 20")
            @Pattern(regexp = LIMIT, message = "must be an integer from 1 to " + MAX_LIMIT) String limit,
            @QueryParam("cursor") @Parameter(description = "nextCursor of the previous page") String cursor,
            @QueryParam("rep") @Parameter(description = "only this rep's sessions") String rep,
            @QueryParam("team") @Parameter(description = "only sessions of this team (metadata 'team')") String team,
            @QueryParam("outcome") @Parameter(description = "only sessions with this outcome (metadata 'outcome')")
            String outcome,
            @QueryParam("from") @Parameter(description = "started at or after: a date (UTC day) or an ISO-8601 instant")
            String from,
            @QueryParam("to") @Parameter(description = "started before: an ISO-8601 instant, or a date (that UTC day "
                    + "included)") String to,
            @QueryParam("objection") @Parameter(description = "only sessions with an objection of this category")
            String objection) {
        return search.page(caller.id(), SessionFilter.parse(rep, team, outcome, from, to, objection),
                Cursor.decode(cursor), limit == null || limit.isEmpty() ? DEFAULT_LIMIT : Integer.parseInt(limit));
    }

    @GET
    @Path("/{sessionId}")
    @Operation(summary = "One session: transcript, suggestions, tool calls, hop latencies and conversation metrics")
    public SessionDetail session(@PathParam("sessionId") @NotBlank @Size(max = MAX_ID_LENGTH) String sessionId) {
        return queries.detail(caller.id(), sessionId)
                .orElseThrow(() -> new NotFoundException("no session " + sessionId));
    }

    @DELETE
    @Path("/{sessionId}")
    @Operation(summary = "Erase a session and everything derived from it (right to erasure)",
            description = "204 when erased; 404 for an unknown session or another tenant's. Later events of the "
                    + "session are dropped, not stored again.")
    public Response erase(@PathParam("sessionId") @NotBlank @Size(max = MAX_ID_LENGTH) String sessionId) {
        if (!erasure.erase(caller.id(), sessionId)) {
            throw new NotFoundException("no session " + sessionId);
        }
        return Response.noContent().build();
    }
}
