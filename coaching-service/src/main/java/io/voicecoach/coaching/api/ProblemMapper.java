package io.voicecoach.coaching.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.voicecoach.coaching.playbook.InvalidPlaybookException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Answers every JAX-RS error (ours, unknown paths, wrong methods, bad JSON, bad playbooks) with a problem document. */
public class ProblemMapper {

    @ServerExceptionMapper
    public Response toProblem(WebApplicationException e) {
        return Problem.response(e.getResponse().getStatusInfo(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return Problem.response(Response.Status.BAD_REQUEST, "the body is not valid JSON: " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response unreadableDocument(io.voicecoach.coaching.kb.TextExtractor.UnreadableDocumentException e) {
        return Problem.response(Response.Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response kbUnavailable(io.voicecoach.coaching.kb.KnowledgeBase.UnavailableException e) {
        return Problem.response(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalidPlaybook(InvalidPlaybookException e) {
        return Problem.response(Response.Status.BAD_REQUEST, e.getMessage(), e.violations());
    }
}
