package io.voicecoach.gateway.session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The speech this instance sent a session, per assistant item: where each piece of its text (a sentence or clause,
 * as the speech stage cut it) starts in the item's audio, how long the audio sent of it lasts, and when its first
 * chunk went out. It tells what the caller heard up to a cut at {@code audio_end_ms}: the pieces that ended before it
 * whole, then the first words of the piece being played in proportion to its milliseconds played. That is an
 * estimate: espeak-ng gives no word timings. Where the client did not say where it cut (server VAD, {@code
 * output_audio_buffer.clear}), the position played is estimated as the time since the item's first chunk went out
 * (real-time playback from then), at most the audio sent; once the client reported how far it played (Twilio's mark
 * echoes), from that report instead. A cut item's remaining chunks are not sent.
 * Kept for the last {@value #ITEMS} items; not part of the session's snapshot (a resumed session estimates nothing).
 */
public final class SpokenItems {

    static final int ITEMS = 16;

    /** A cut of an item: where it was cut and the words heard up to there. */
    public record Cut(String responseId, String itemId, long audioEndMs, String heard) {
    }

    private static final class Piece {
        final long startMs;
        final String text;
        long durationMs;

        Piece(long startMs, String text) {
            this.startMs = startMs;
            this.text = text;
        }
    }

    private static final class Spoken {
        final String responseId;
        final long firstSentNanos;
        final List<Piece> pieces = new ArrayList<>();
        boolean finished;
        boolean stopped;
        /** From the client's playback reports (Twilio's mark echoes): audio played up to here, and when it was. */
        long playedMs = -1;
        long playedAtNanos;
        boolean playedOut;

        Spoken(String responseId, long firstSentNanos) {
            this.responseId = responseId;
            this.firstSentNanos = firstSentNanos;
        }

        long sentMs() {
            var last = pieces.getLast();
            return last.startMs + last.durationMs;
        }

        /** Where playback is estimated to be: real time since the last playback report, else since the first chunk. */
        long playingAt(long nowNanos) {
            long since = playedMs >= 0 ? playedMs + (nowNanos - playedAtNanos) / 1_000_000
                    : (nowNanos - firstSentNanos) / 1_000_000;
            return Math.min(sentMs(), since);
        }
    }

    private final Map<String, Spoken> items = new LinkedHashMap<>(ITEMS, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Spoken> eldest) {
            return size() > ITEMS;
        }
    };

    /**
     * An audio chunk of the item is about to be sent; {@code transcript} is non-empty on the first chunk of a piece.
     *
     * @return false when the item was cut: the chunk is not sent
     */
    public synchronized boolean sent(String responseId, String itemId, long startMs, long durationMs,
                                     String transcript, long nowNanos) {
        var item = items.computeIfAbsent(itemId, id -> new Spoken(responseId, nowNanos));
        if (item.stopped) {
            return false;
        }
        var pieces = item.pieces;
        boolean starts = transcript != null && !transcript.isEmpty();
        if (pieces.isEmpty() || starts && startMs > pieces.getLast().startMs) {
            pieces.add(new Piece(startMs, starts ? transcript : ""));
        }
        var last = pieces.getLast();
        if (startMs >= last.startMs) { // a chunk sent again (a replay) changes nothing
            last.durationMs = Math.max(last.durationMs, startMs + durationMs - last.startMs);
        }
        return true;
    }

    /** True while no chunk of the item was sent (its next chunk starts its output audio buffer). */
    public synchronized boolean unheardOf(String itemId) {
        return !items.containsKey(itemId);
    }

    /** The item's audio is all sent ({@code agent.speech.audio_done}); false when it was cut. */
    public synchronized boolean finished(String itemId) {
        var item = items.get(itemId);
        if (item == null) {
            return true;
        }
        item.finished = true;
        return !item.stopped;
    }

    /** Milliseconds of the item's audio sent so far, 0 when none. */
    public synchronized long sentMs(String itemId) {
        var item = items.get(itemId);
        return item == null || item.pieces.isEmpty() ? 0 : item.sentMs();
    }

    /** The words heard of the item up to {@code audioEndMs}; null when no audio of it was sent from here. */
    public synchronized String heard(String itemId, long audioEndMs) {
        var item = items.get(itemId);
        if (item == null) {
            return null;
        }
        var heard = new StringBuilder();
        for (var piece : item.pieces) {
            if (audioEndMs <= piece.startMs) {
                break;
            }
            long played = audioEndMs - piece.startMs;
            if (played >= piece.durationMs) {
                heard.append(piece.text);
            } else {
                heard.append(firstWords(piece.text, (double) played / piece.durationMs));
                break;
            }
        }
        return heard.toString().strip();
    }

    /**
     * The client reported that the item's audio played up to {@code audioMs} ({@code -1}: all of it), at
     * {@code nowNanos} (a Twilio mark echo): later estimates of the playback position start from there. Reports of a
     * cut item change nothing (Twilio echoes the marks a {@code clear} dropped too).
     */
    public synchronized void played(String itemId, long audioMs, long nowNanos) {
        var item = items.get(itemId);
        if (item == null || item.stopped || item.pieces.isEmpty()) {
            return;
        }
        long ms = audioMs < 0 ? item.sentMs() : Math.min(audioMs, item.sentMs());
        if (ms >= item.playedMs) {
            item.playedMs = ms;
            item.playedAtNanos = nowNanos;
        }
        item.playedOut |= audioMs < 0;
    }

    /** The client cut the item at {@code audioEndMs} ({@code conversation.item.truncate}): no more of it is sent. */
    public synchronized Optional<Cut> cut(String itemId, long audioEndMs) {
        var item = items.get(itemId);
        if (item == null) {
            return Optional.empty();
        }
        item.stopped = true;
        return Optional.of(new Cut(item.responseId, itemId, audioEndMs, heard(itemId, audioEndMs)));
    }

    /**
     * The caller spoke over the agent (server VAD) or the client cleared the output: the item still playing, if any,
     * is cut where real-time playback since its first chunk would be.
     */
    public synchronized Optional<Cut> interrupt(long nowNanos) {
        Spoken playing = null;
        String playingId = null;
        long playedMs = 0;
        for (var entry : items.entrySet()) {
            var item = entry.getValue();
            long played = item.playingAt(nowNanos);
            if (!item.stopped && !item.playedOut && (!item.finished || played < item.sentMs())) {
                playing = item;
                playingId = entry.getKey();
                playedMs = played;
            }
        }
        if (playing == null) {
            return Optional.empty();
        }
        playing.stopped = true;
        return Optional.of(new Cut(playing.responseId, playingId, playedMs, heard(playingId, playedMs)));
    }

    /** The words of {@code text} within the first {@code share} of it (rounded down to whole words). */
    static String firstWords(String text, double share) {
        var words = text.strip().split("\\s+");
        int count = (int) Math.floor(words.length * share);
        if (count <= 0 || text.isBlank()) {
            return "";
        }
        String leading = text.startsWith(" ") ? " " : "";
        return leading + String.join(" ", List.of(words).subList(0, Math.min(count, words.length)));
    }
}
