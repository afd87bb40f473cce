package io.voicecoach.coaching.api;

import io.voicecoach.coaching.CoachingConfig;
import io.voicecoach.coaching.kb.KbStore;
import io.voicecoach.coaching.kb.KnowledgeBase;
import io.voicecoach.coaching.kb.TextExtractor;
import io.voicecoach.events.Citation;
import io.smallrye.common.annotation.Blocking;
import io.voicecoach.platform.problem.Problem;
import io.voicecoach.platform.problem.ProblemException;
import io.voicecoach.platform.security.CallerTenant;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/** The calling tenant's knowledge base: upload, list, delete documents and search their chunks. */
@Path("/api/v1/kb")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "knowledge base")
public class KnowledgeBaseResource {

    private static final int MAX_K = 50;

    private final KnowledgeBase kb;
    private final KbStore store;
    private final CallerTenant caller;
    private final int maxBytes;
    private final int maxTitleChars;

    public KnowledgeBaseResource(KnowledgeBase kb, KbStore store, CallerTenant caller, CoachingConfig config) {
        this.kb = kb;
        this.store = store;
        this.caller = caller;
        this.maxBytes = config.kb().maxDocumentBytes();
        this.maxTitleChars = config.kb().maxTitleChars();
    }

    /**
     * Checked here, on a worker thread; extracted, embedded and stored on an indexing thread, and answered when it is
     * searchable (the worker thread is not held meanwhile).
     */
    @POST
    @Path("/documents")
    @Consumes(MediaType.WILDCARD)
    @Blocking
    @Operation(summary = "Upload a document (text/plain, text/markdown or application/pdf) titled ?title=; it is "
            + "chunked, embedded and searchable when the answer comes. 413 when larger than kb.max-document-bytes or "
            + "when its text or decoded streams go beyond kb.max-text-chars / kb.max-decoded-bytes / kb.max-pdf-pages, "
            + "409 beyond the tenant's quota, 415 for other types, 429 while another upload of the tenant is indexed, "
            + "503 when every indexing slot is taken")
    public CompletionStage<Response> upload(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                                            @QueryParam("title") String title, byte[] body, @Context UriInfo uri) {
        String mediaType = TextExtractor.baseType(contentType);
        if (!TextExtractor.SUPPORTED.contains(mediaType)) {
            throw new ProblemException(Problem.of(Response.Status.UNSUPPORTED_MEDIA_TYPE, "documents must be one of "
                    + List.of(TextExtractor.TEXT, TextExtractor.MARKDOWN, TextExtractor.PDF) + ", not " + contentType));
        }
        if (body == null || body.length == 0) {
            throw new BadRequestException("the document is empty");
        }
        if (body.length > maxBytes) {
            throw CoachingProblems.tooLarge("the document has " + body.length + " bytes, more than the " + maxBytes
                    + " allowed");
        }
        String name = title == null || title.isBlank() ? "untitled" : title.strip();
        if (name.length() > maxTitleChars) {
            throw new ProblemException(Problem.of(Response.Status.BAD_REQUEST, null, "the title is too long",
                    List.of(new Problem.FieldError("title", "has " + name.length() + " characters, more than the "
                            + maxTitleChars + " allowed"))));
        }
        var base = uri.getBaseUriBuilder();
        return kb.add(caller.id(), name, mediaType, body).thenApply(info -> Response.created(
                base.path("/api/v1/kb/documents/{id}").build(info.id())).entity(info).build());
    }

    @GET
    @Path("/documents")
    @Operation(summary = "The tenant's documents, newest first")
    public List<KbStore.DocumentInfo> documents() {
        return store.documents(caller.id());
    }

    @GET
    @Path("/documents/{id}")
    public KbStore.DocumentInfo document(@PathParam("id") UUID id) {
        return store.document(caller.id(), id).orElseThrow(() -> new NotFoundException("no document " + id));
    }

    @DELETE
    @Path("/documents/{id}")
    @Operation(summary = "Delete a document and its chunks")
    public Response delete(@PathParam("id") UUID id) {
        if (!kb.delete(caller.id(), id)) {
            throw new NotFoundException("no document " + id);
        }
        return Response.noContent().build();
    }

    @GET
    @Path("/search")
    @Operation(summary = "The k (default 5, at most 50) chunks most similar to q, best first, with their scores")
    public List<Citation> search(@QueryParam("q") @NotBlank @Size(max = KnowledgeBase.MAX_QUERY_CHARS) String q,
                                 @QueryParam("k") @DefaultValue("5") @Min(1) @Max(MAX_K) int k) {
        return kb.search(caller.id(), q, k);
    }
}
