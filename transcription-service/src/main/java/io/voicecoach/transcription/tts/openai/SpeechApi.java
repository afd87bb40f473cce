package io.voicecoach.transcription.tts.openai;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * OpenAI's {@code POST /v1/audio/speech}. Built programmatically (base URL and timeouts from
 * {@code voicecoach.tts.openai.*}) with the default exception mapper off, so every status comes back as a response.
 */
@Path("/v1/audio/speech")
public interface SpeechApi {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.WILDCARD)
    Response speak(@HeaderParam("Authorization") String authorization, SpeechRequest request);
}
