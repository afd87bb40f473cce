package io.voicecoach.tools.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Answers every JAX-RS error (our 400s and 404s, unknown paths, wrong methods, bad JSON) with a problem document. */
public class ProblemMapper {

    @ServerExceptionMapper
    public Response toProblem(WebApplicationException e) {
        return Problem.response(e.getResponse().getStatusInfo(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return Problem.response(Response.Status.BAD_REQUEST, "the body is not valid JSON: " + e.getOriginalMessage());
    }
}
