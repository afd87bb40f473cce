package io.voicecoach.platform.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Locale;

/**
 * An RFC 9457 problem document ({@value #MEDIA_TYPE}), the body of every error a service answers with.
 *
 * @param type   {@code urn:voicecoach:problem:<code or status reason>}
 * @param code   machine-readable reason where the status alone does not say it, e.g. {@code invalid_credentials}
 * @param errors the JSON path (or parameter) and reason of each problem in a rejected request; empty otherwise
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String code, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One rejected field: {@code path} is a JSON path ({@code $.objections[2].title}) or a parameter name. */
    @RegisterForReflection
    public record FieldError(String path, String message) {
    }

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static Problem of(Response.StatusType status, String detail) {
        return of(status, null, detail, List.of());
    }

    public static Problem of(Response.StatusType status, String code, String detail) {
        return of(status, code, detail, List.of());
    }

    public static Problem of(Response.StatusType status, String code, String detail, List<FieldError> errors) {
        String reason = status.getReasonPhrase();
        String name = code != null ? code : reason.toLowerCase(Locale.ROOT).replace(' ', '-');
        return new Problem("urn:voicecoach:problem:" + name, reason, status.getStatusCode(), detail, code, errors);
    }

    /** The response carrying this problem; a 401 also says {@code WWW-Authenticate: Bearer}. */
    public Response toResponse() {
        var response = Response.status(status).type(MEDIA_TYPE).entity(this);
        if (status == 401) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return response.build();
    }

    public static Response response(Response.StatusType status, String detail) {
        return of(status, detail).toResponse();
    }
}
