package io.voicecoach.gateway.session;

import java.util.List;
import java.util.function.Function;

/**
 * What one fan-out record brings to one client session: one or more frames (a reply event is an item's whole
 * lifecycle: {@code response.output_item.added}, {@code conversation.item.added}, ...). Every frame of a record carries
 * a resume cursor as its {@code event_id}: the last one the record's position, the others the position plus how many
 * of its frames came before ({@link Cursor#partialFrames()}), so a client that dropped in the middle of a record gets
 * exactly the rest of it.
 *
 * @param dedupKey  the same key twice (a redelivered suggestion, a repeated event) is delivered once
 * @param frames    builds the frames for the session, updating what the session remembers (partial transcripts,
 *                  the reply in progress, the conversation); empty when there is nothing to send
 * @param onWritten runs once the last frame reached the client's socket (not when it is only learned during a replay)
 */
public record Delivery(String dedupKey, Function<RealtimeSession, List<String>> frames, Runnable onWritten) {

    public static final Runnable NOTHING = () -> { };

    public Delivery(String dedupKey, Function<RealtimeSession, List<String>> frames) {
        this(dedupKey, frames, NOTHING);
    }

    /** A record that brings at most one frame ({@code frame} returns null for none). */
    public static Delivery single(String dedupKey, Function<RealtimeSession, String> frame, Runnable onWritten) {
        return new Delivery(dedupKey, session -> {
            String built = frame.apply(session);
            return built == null ? List.of() : List.of(built);
        }, onWritten);
    }

    public static Delivery single(String dedupKey, Function<RealtimeSession, String> frame) {
        return single(dedupKey, frame, NOTHING);
    }
}
