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
        return ofBody(Response.Status.BAD_REQUEST, "document_unreadable", e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response documentTooLarge(TextExtractor.TooLargeException e) {
        return tooLarge(e.getMessage()).problem().toResponse();
    }

    @ServerExceptionMapper
    public Response quotaExceeded(KnowledgeBase.QuotaExceededException e) {
        return ofBody(Response.Status.CONFLICT, "kb_quota_exceeded", e.getMessage()).toResponse();
    }

    /** 429 while the tenant's previous upload is indexed, 503 when the indexing queue is full; both say when to retry. */
    @ServerExceptionMapper
    public Response indexingBusy(KnowledgeBase.BusyException e) {
        return e.tenant() ? retryLater(Response.Status.TOO_MANY_REQUESTS, "indexing_in_progress", e.getMessage(), 2)
                : retryLater(Response.Status.SERVICE_UNAVAILABLE, "indexing_busy", e.getMessage(), 5);
    }

    /** 429 while the tenant's previous playbook change is still being built. */
    @ServerExceptionMapper
    public Response playbookBusy(io.voicecoach.coaching.detect.TenantEngines.BusyException e) {
        return retryLater(Response.Status.TOO_MANY_REQUESTS, "playbook_change_in_progress", e.getMessage(), 2);
    }

    /** A document beyond a size limit: 413 {@code document_too_large}, the body named as the offending field. */
    static ProblemException tooLarge(String detail) {
        return new ProblemException(ofBody(Response.Status.REQUEST_ENTITY_TOO_LARGE, "document_too_large", detail));
    }

    private static Problem ofBody(Response.Status status, String code, String detail) {
        return Problem.of(status, code, detail, List.of(new Problem.FieldError(BODY, detail)));
    }

    private static Response retryLater(Response.Status status, String code, String detail, int seconds) {
        return Response.fromResponse(Problem.of(status, code, detail).toResponse())
                .header(HttpHeaders.RETRY_AFTER, Integer.toString(seconds)).build();
    }

    @ServerExceptionMapper
    public Response knowledgeBaseUnavailable(KnowledgeBase.UnavailableException e) {
        return Problem.response(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
    }
}
