package io.voicecoach.bench.load;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one simulated call sent and saw, with the client's own clock ({@link System#nanoTime()}) for every event. A
 * {@link Call} fills it while it runs (under its lock) and hands it over once it ended; from then on it is only read.
 * {@link #NONE} marks a moment that did not happen.
 */
final class CallRecord {

    static final long NONE = Long.MIN_VALUE;

    /** A turn of the script as the call played it; milliseconds are on the turn's track, from its first frame. */
    static final class Turn {
        final Script.Turn script;
        final int startFrame;
        final long speechStartMs;
        final long speechEndMs;
        /** Typed turns: the item id this call gave the turn. */
        final String itemId;
        /** When the frame holding the last speech sample (or the typed item) was sent. */
        long sentNanos = NONE;
        Reply reply;

        Turn(Script.Turn script, int startFrame, long speechStartMs, long speechEndMs, String itemId) {
            this.script = script;
            this.startFrame = startFrame;
            this.speechStartMs = speechStartMs;
            this.speechEndMs = speechEndMs;
            this.itemId = itemId;
        }
    }

    /** An utterance the gateway's VAD found (speech input), by its item id. */
    static final class Utterance {
        final String itemId;
        String track;
        long audioStartMs = -1;
        long audioEndMs = -1;
        long stoppedNanos = NONE;
        long committedNanos = NONE;
        long transcriptNanos = NONE;
        String transcript;
        String failure;

        Utterance(String itemId) {
            this.itemId = itemId;
        }
    }

    /** A {@code voicecoach.coaching.suggestion} frame: when it arrived and the pipeline's own timestamps in it. */
    record Suggestion(String id, String itemId, String kind, String category, String source, long receivedNanos,
                      Instant gatewayReceivedAt, Instant transcriptAt, Instant suggestedAt) {
    }

    /** A voice-agent reply to one caller turn. */
    static final class Reply {
        final String responseId;
        final long createdNanos;
        long firstDeltaNanos = NONE;
        long doneNanos = NONE;
        String status;
        int functionCalls;

        Reply(String responseId, long createdNanos) {
            this.responseId = responseId;
            this.createdNanos = createdNanos;
        }
    }

    final String callId;
    final boolean speech;
    final boolean agent;
    final int silenceMs;
    final List<Turn> turns = new ArrayList<>();
    final Map<String, Utterance> utterances = new LinkedHashMap<>();
    final Map<String, Suggestion> suggestions = new LinkedHashMap<>();
    long[] frameSentNanos = new long[1024];
    int frames;
    /** Why the call did not play to its end, or null. */
    String failure;
    /** The benchmark ended the call before its script did (ramp-down over). */
    boolean hungUp;
    long openedNanos = NONE;

    CallRecord(String callId, boolean speech, boolean agent, int silenceMs) {
        this.callId = callId;
        this.speech = speech;
        this.agent = agent;
        this.silenceMs = silenceMs;
    }

    void frameSent(int frame, long nanos) {
        if (frame >= frameSentNanos.length) {
            frameSentNanos = Arrays.copyOf(frameSentNanos, Math.max(frame + 1, frameSentNanos.length * 2));
        }
        frameSentNanos[frame] = nanos;
        frames = Math.max(frames, frame + 1);
    }

    /** When the frame holding the sample at {@code trackMs} was sent, or {@link #NONE}. */
    long sentAt(long trackMs) {
        int frame = (int) Math.max(0, trackMs / AppendFrames.FRAME_MS);
        return frame < frames ? frameSentNanos[frame] : NONE;
    }

    Utterance utterance(String itemId) {
        return utterances.computeIfAbsent(itemId, Utterance::new);
    }

    /** The turn an item belongs to: the typed turn with that id, or the turn its VAD utterance overlaps most. */
    Turn turnOf(String itemId) {
        if (itemId == null) {
            return null;
        }
        for (var turn : turns) {
            if (itemId.equals(turn.itemId)) {
                return turn;
            }
        }
        var utterance = utterances.get(itemId);
        if (utterance == null || utterance.track == null || utterance.audioStartMs < 0) {
            return null;
        }
        long end = utterance.audioEndMs >= 0 ? utterance.audioEndMs - silenceMs : Long.MAX_VALUE;
        return overlapping(turns, utterance.track, utterance.audioStartMs, end);
    }

    /** The turn of {@code track} whose speech overlaps {@code [startMs, endMs)} the most, or null. */
    static Turn overlapping(List<Turn> turns, String track, long startMs, long endMs) {
        Turn best = null;
        long bestOverlap = 0;
        for (var turn : turns) {
            if (!turn.script.track().equals(track)) {
                continue;
            }
            long overlap = Math.min(endMs, turn.speechEndMs) - Math.max(startMs, turn.speechStartMs);
            if (overlap > bestOverlap) {
                best = turn;
                bestOverlap = overlap;
            }
        }
        return best;
    }

    /**
     * When the speaker of {@code itemId}'s utterance stopped, as the client saw it: the send time of the frame with the
     * utterance's last speech sample (the turn's, or earlier if the VAD ended the utterance inside the turn), or of
     * the typed item.
     */
    long stoppedSpeakingNanos(String itemId, Turn turn) {
        if (!speech) {
            return turn.sentNanos;
        }
        long endMs = turn.speechEndMs;
        var utterance = utterances.get(itemId);
        if (utterance != null && utterance.audioEndMs >= 0) {
            endMs = Math.min(endMs, utterance.audioEndMs - silenceMs);
        }
        return sentAt(Math.max(0, endMs - 1));
    }
}
