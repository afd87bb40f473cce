package io.voicecoach.coaching.api;

import io.voicecoach.coaching.kb.KnowledgeBase;
import io.voicecoach.coaching.kb.TextExtractor;
import io.voicecoach.coaching.playbook.InvalidPlaybookException;
import io.voicecoach.platform.problem.Problem;
import io.voicecoach.platform.problem.ProblemException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;

/**
 * coaching's own errors as problem documents (the platform's {@code ProblemMappers} answer the rest): a malformed
 * playbook names the JSON path of each error; an upload that cannot be read is a 400, one beyond a size limit a 413,
 * beyond the tenant's quota a 409, one that cannot be indexed now a 429 or 503; a knowledge base without embeddings
 * a 503.
 */
public class CoachingProblems {

    /** The field name of an upload's body in {@code errors[].path} (the body is not JSON). */
    static final String BODY = "body";

    @ServerExceptionMapper
    public Response invalidPlaybook(InvalidPlaybookException e) {
        var errors = e.violations().stream().map(v -> new Problem.FieldError(v.path(), v.message())).toList();
        return Problem.of(Response.Status.BAD_REQUEST, null, e.getMessage(), errors).toResponse();
    }

    @ServerExceptionMapper
    public Response unreadableDocument(TextExtractor.UnreadableDocumentException e) {
        return Problem.of(Response.Status.BAD_REQUEST, "document_unreadable", e.getMessage(),
                List.of(new Problem.FieldError(BODY, e.getMessage()))).toResponse();
    }

    @ServerExceptionMapper
    public Response documentTooLarge(TextExtractor.TooLargeException e) {
        return tooLarge(e.getMessage()).problem().toResponse();
    }

    @ServerExceptionMapper
    public Response quotaExceeded(KnowledgeBase.QuotaExceededException e) {
        return Problem.of(Response.Status.CONFLICT, "kb_quota_exceeded", e.getMessage(),
                List.of(new Problem.FieldError(BODY, e.getMessage()))).toResponse();
    }

    /** 429 while the tenant's previous upload is indexed, 503 when the indexing queue is full; both say when to retry. */
    @ServerExceptionMapper
    public Response indexingBusy(KnowledgeBase.BusyException e) {
        var status = e.tenant() ? Response.Status.TOO_MANY_REQUESTS : Response.Status.SERVICE_UNAVAILABLE;
        var response = Problem.of(status, e.tenant() ? "indexing_in_progress" : "indexing_busy", e.getMessage())
                .toResponse();
        return Response.fromResponse(response).header(HttpHeaders.RETRY_AFTER, e.tenant() ? "2" : "5").build();
    }

    /** 429 while the tenant's previous playbook change is still being built. */
    @ServerExceptionMapper
    public Response playbookBusy(io.voicecoach.coaching.detect.TenantEngines.BusyException e) {
        var response = Problem.of(Response.Status.TOO_MANY_REQUESTS, "playbook_change_in_progress", e.getMessage())
                .toResponse();
        return Response.fromResponse(response).header(HttpHeaders.RETRY_AFTER, "2").build();
    }

    /** A document beyond a size limit: 413 {@code document_too_large}, the body named as the offending field. */
    static ProblemException tooLarge(String detail) {
        return new ProblemException(Problem.of(Response.Status.REQUEST_ENTITY_TOO_LARGE, "document_too_large", detail,
                List.of(new Problem.FieldError(BODY, detail))));
    }

    @ServerExceptionMapper
    public Response knowledgeBaseUnavailable(KnowledgeBase.UnavailableException e) {
        return Problem.response(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
    }
}
