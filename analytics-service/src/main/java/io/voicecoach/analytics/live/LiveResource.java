package io.voicecoach.analytics.live;

import io.smallrye.common.annotation.Blocking;
import io.voicecoach.platform.security.CallerTenant;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/live")
public class LiveResource {

    private final LiveCalls calls;
    private final CallerTenant caller;

    public LiveResource(LiveCalls calls, CallerTenant caller) {
        this.calls = calls;
        this.caller = caller;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking // subscribing waits for the live view's lock, which ingestion holds while it applies a batch
    @Operation(summary = "Server-Sent Events of the tenant's calls in progress",
            description = "First 'ready' {liveCalls}, then one 'call' event per call in progress, then "
                    + "'session.started', 'utterance', 'prompt' and 'session.ended' as they are ingested. Each event's "
                    + "data is the call's whole state: {sessionId, callId, repId, startedAt, endedAt, speaking (track "
                    + "of the latest utterance), latestUtterance {utteranceId, track, text, startMs, endMs}, "
                    + "latestPrompt {suggestionId, kind, category, title, suggestedAt}, updatedAt}.")
    public void live(@Context SseEventSink sink, @Context Sse sse) {
        calls.subscribe(caller.id(), sink, sse);
    }
}
