package io.voicecoach.transcription.stt.openai;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.client.api.ClientMultipartForm;

/**
 * OpenAI's {@code POST /v1/audio/transcriptions}. Built programmatically (base URL and timeouts from
 * {@code voicecoach.stt.openai.*}) with the default exception mapper off, so every status comes back as a response.
 */
@Path("/v1/audio/transcriptions")
public interface TranscriptionsApi {

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    Response transcribe(@HeaderParam("Authorization") String authorization, ClientMultipartForm form);
}
