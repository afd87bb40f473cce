package io.voicecoach.coaching.llm;

import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST {base-url}/chat/completions} with {@code "stream": true}: the answer is a server-sent event stream of
 * {@code data: {chunk}} lines ending with {@code data: [DONE]}. Each item is one event's data, unparsed. The body is
 * JSON text written by {@link LlmJson}, so the wire format does not depend on the application's ObjectMapper.
 */
public interface ChatCompletionsApi {

    @POST
    @Path("/chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    Multi<String> stream(String body);
}
