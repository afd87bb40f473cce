package io.voicecoach.tools.problem;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.core.Response;

/** An RFC 9457 problem document, the body of every error this service answers with. */
@RegisterForReflection
public record Problem(String type, String title, int status, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Response response(Response.StatusType status, String detail) {
        return builder(status, detail).build();
    }

    public static Response.ResponseBuilder builder(Response.StatusType status, String detail) {
        var problem = new Problem(typeOf(status), status.getReasonPhrase(), status.getStatusCode(), detail);
        return Response.status(status.getStatusCode()).type(MEDIA_TYPE).entity(problem);
    }

    private static String typeOf(Response.StatusType status) {
        return "urn:voicecoach:problem:" + status.getReasonPhrase().toLowerCase().replace(' ', '-');
    }
}
