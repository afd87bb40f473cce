package io.voicecoach.coaching.api;

import io.voicecoach.coaching.kb.KnowledgeBase;
import io.voicecoach.coaching.kb.TextExtractor;
import io.voicecoach.coaching.playbook.InvalidPlaybookException;
import io.voicecoach.platform.problem.Problem;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * coaching's own errors as problem documents (the platform's {@code ProblemMappers} answer the rest): a malformed
 * playbook names the JSON path of each error, an unreadable upload is a 400, a knowledge base that cannot answer a 503.
 */
public class CoachingProblems {

    @ServerExceptionMapper
    public Response invalidPlaybook(InvalidPlaybookException e) {
        var errors = e.violations().stream().map(v -> new Problem.FieldError(v.path(), v.message())).toList();
        return Problem.of(Response.Status.BAD_REQUEST, null, e.getMessage(), errors).toResponse();
    }

    @ServerExceptionMapper
    public Response unreadableDocument(TextExtractor.UnreadableDocumentException e) {
        return Problem.response(Response.Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response knowledgeBaseUnavailable(KnowledgeBase.UnavailableException e) {
        return Problem.response(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
    }
}
