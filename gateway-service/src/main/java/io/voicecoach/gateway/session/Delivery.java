package io.voicecoach.gateway.session;

import java.util.function.Function;

/**
 * What one fan-out record brings to one client session.
 *
 * @param dedupKey  the same key twice (a redelivered suggestion, a repeated event) is delivered once
 * @param frame     builds the frame for the session, updating what the session remembers (partial transcripts,
 *                  the reply in progress); null when there is nothing to send
 * @param onWritten runs once the frame reached the client's socket (not when it is only learned during a replay)
 */
public record Delivery(String dedupKey, Function<RealtimeSession, String> frame, Runnable onWritten) {

    public static final Runnable NOTHING = () -> { };

    public Delivery(String dedupKey, Function<RealtimeSession, String> frame) {
        this(dedupKey, frame, NOTHING);
    }
}
