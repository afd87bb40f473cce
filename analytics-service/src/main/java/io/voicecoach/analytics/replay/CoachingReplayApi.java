package io.voicecoach.analytics.replay;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * coaching-service's replay API and playbook version list, called with the dashboard user's own credential
 * ({@code quarkus.rest-client.coaching.url}). Error answers come back as responses (the default mapper is off), so
 * coaching's problem+json reaches the page unchanged.
 */
@RegisterRestClient(configKey = "coaching")
public interface CoachingReplayApi {

    @POST
    @Path("/api/v1/replays")
    @Consumes(MediaType.APPLICATION_JSON)
    Response replay(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body);

    @GET
    @Path("/api/v1/playbook/versions")
    Response versions(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);
}
