package io.voicecoach.analytics.problem;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Answers every JAX-RS error (our 400s and 404s, unknown paths, wrong methods) with a problem document. */
public class ProblemMapper {

    @ServerExceptionMapper
    public Response toProblem(WebApplicationException e) {
        return Problem.response(e.getResponse().getStatusInfo(), e.getMessage());
    }
}
