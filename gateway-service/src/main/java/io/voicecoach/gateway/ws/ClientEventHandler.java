package io.voicecoach.gateway.ws;

import io.smallrye.mutiny.Uni;
import io.voicecoach.gateway.realtime.ClientEvent;

/**
 * Handles one family of client events; a refusal is a {@link io.voicecoach.gateway.realtime.RealtimeError}, thrown or
 * as the Uni's failure, which {@link ClientEvents} answers with an {@code error} event.
 */
interface ClientEventHandler<E extends ClientEvent> {

    /** Completes once the event was acted on and its reply (if any) was written. */
    Uni<Void> handle(ClientContext context, E event);
}
