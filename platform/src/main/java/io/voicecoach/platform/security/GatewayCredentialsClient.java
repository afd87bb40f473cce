package io.voicecoach.platform.security;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;
import io.voicecoach.events.internal.VerifiedCredential;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The gateway's credential check: 200 {@link VerifiedCredential}, or an error status whose problem {@code code}
 * says whose credential was refused ({@link GatewayRefusal}). Configured as {@code quarkus.rest-client.voicecoach-gateway.*}
 * (URL from {@code voicecoach.auth.gateway-url}).
 */
@RegisterRestClient(configKey = "voicecoach-gateway")
@RegisterProvider(ServiceCredentialFilter.class)
@Path("/internal/v1/credentials")
public interface GatewayCredentialsClient {

    @POST
    @Path("/verify")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<VerifiedCredential> verify(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);

    @ClientExceptionMapper
    static RuntimeException refusal(Response response) {
        return GatewayRefusal.of(response);
    }
}
