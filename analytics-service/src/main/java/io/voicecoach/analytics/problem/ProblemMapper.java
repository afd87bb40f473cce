package io.voicecoach.analytics.problem;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.UUID;

/**
 * Answers every JAX-RS error (our 400s and 404s, unknown paths, wrong methods) with a problem document, and any
 * unexpected failure with a 500 one that names an error id found in the log (never the failure itself).
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response toProblem(WebApplicationException e) {
        return Problem.response(e.getResponse().getStatusInfo(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "request failed, error id %s", errorId);
        return Problem.response(Response.Status.INTERNAL_SERVER_ERROR, "unexpected error, id " + errorId);
    }
}
