package io.voicecoach.coaching.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.coaching.playbook.InvalidPlaybookException.Violation;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * An RFC 9457 problem document, the body of every error this service answers with. {@code errors} lists the JSON
 * path and reason of each problem in a rejected document.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, List<Violation> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Response response(Response.StatusType status, String detail) {
        return builder(status, detail, List.of()).build();
    }

    public static Response response(Response.StatusType status, String detail, List<Violation> errors) {
        return builder(status, detail, errors).build();
    }

    public static Response.ResponseBuilder builder(Response.StatusType status, String detail) {
        return builder(status, detail, List.of());
    }

    private static Response.ResponseBuilder builder(Response.StatusType status, String detail, List<Violation> errors) {
        var problem = new Problem(typeOf(status), status.getReasonPhrase(), status.getStatusCode(), detail, errors);
        return Response.status(status.getStatusCode()).type(MEDIA_TYPE).entity(problem);
    }

    private static String typeOf(Response.StatusType status) {
        return "urn:voicecoach:problem:" + status.getReasonPhrase().toLowerCase().replace(' ', '-');
    }
}
