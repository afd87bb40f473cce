package io.voicecoach.tools.auth;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/** The gateway's credential check: 200 with the key's tenant, or 401. */
@Path("/internal/v1/credentials")
public interface GatewayCredentialsClient {

    @RegisterForReflection
    record VerifiedCredential(String tenantId) {
    }

    @POST
    @Path("/verify")
    @Produces(MediaType.APPLICATION_JSON)
    VerifiedCredential verify(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);
}
