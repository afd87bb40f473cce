package io.voicecoach.gateway.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A request without {@code Content-Type}, or without a body whatever type it names (HTTP clients label an empty POST
 * as a form), is read as JSON: the gateway's REST API speaks nothing else, and callers post {@code client_secrets} or a
 * key rotation without a body. A body of another type is 415.
 */
public class JsonByDefault {

    @ServerRequestFilter(preMatching = true)
    public void json(ContainerRequestContext request) {
        if (request.getHeaderString(HttpHeaders.CONTENT_TYPE) == null || empty(request)) {
            request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
        }
    }

    private static boolean empty(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        return length == null ? request.getHeaderString("Transfer-Encoding") == null : "0".equals(length.strip());
    }
}
