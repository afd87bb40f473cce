package io.voicecoach.coaching.nudge;

import io.voicecoach.coaching.detect.NormalizedText;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Who spoke when in one session, from the start and end offsets of final transcripts (session time, not wall
 * clock): speech per track over a sliding window, the rep's current monologue (since the customer last spoke) and
 * the questions the rep asked; and, from partial transcripts, the rep's utterance still being spoken, so a monologue
 * is seen while it goes on. Plain data that is serialised with the session's state; not thread-safe (one
 * stream thread owns a session).
 */
@RegisterForReflection
final class TalkTracker {

    private static final Set<String> QUESTION_WORDS = Set.of("what", "how", "why", "who", "when", "where", "which");

    @RegisterForReflection
    record Segment(boolean rep, long startMs, long endMs) {
    }

    /** The rep's utterance still being spoken, as its latest partial transcript saw it. */
    @RegisterForReflection
    record LiveSpeech(String utteranceId, long startMs, long endMs, UUID eventId, Instant eventTime,
                      Instant receivedAt) {
    }

    private long windowMs;
    private final List<Segment> segments = new ArrayList<>();
    private long nowMs;
    private long monologueStartMs = -1;
    private long lastRepEndMs;
    private int repQuestions;
    private int repInterruptions;
    private Segment lastRep;
    private Segment lastCustomer;
    private LiveSpeech liveRep;
    private long lastCustomerEndMs;
    /** Wall-clock time of session time 0, from the session's own latest transcript (null before the first). */
    private Instant anchor;
    /** The session carries the customer's track itself (so another leg's customer speech is not counted again). */
    private boolean ownCustomer;

    /** For the state codec. */
    TalkTracker() {
    }

    TalkTracker(long windowMs) {
        this.windowMs = windowMs;
    }

    void add(Transcript transcript) {
        long start = Math.max(0, transcript.startMs());
        long end = Math.max(start, transcript.endMs());
        boolean rep = Track.AGENT.equals(transcript.track());
        var segment = new Segment(rep, start, end);
        countInterruption(segment, rep ? lastCustomer : lastRep);
        if (rep) {
            lastRep = segment;
        } else {
            lastCustomer = segment;
        }
        segments.add(segment);
        nowMs = Math.max(nowMs, end);
        while (!segments.isEmpty() && segments.getFirst().endMs() < nowMs - windowMs) {
            segments.removeFirst();
        }
        if (rep && liveRep != null && (liveRep.utteranceId().equals(transcript.utteranceId()) || end >= liveRep.endMs())) {
            liveRep = null;
        }
        if (!rep && end > start) {
            lastCustomerEndMs = Math.max(lastCustomerEndMs, end);
            if (liveRep != null && end > liveRep.startMs()) {
                liveRep = null;
            }
        }
        if (rep) {
            if (monologueStartMs < 0) {
                monologueStartMs = start;
            }
            lastRepEndMs = Math.max(lastRepEndMs, end);
            if (isQuestion(transcript.text())) {
                repQuestions++;
            }
        } else if (end > start) {
            monologueStartMs = firstRepStartFrom(end);
        }
    }

    /**
     * Where the rep's monologue starts once the customer spoke until {@code customerEndMs}: the first rep utterance
     * starting after it (a customer utterance counted after the rep's next one, as another leg's may be), else none.
     */
    private long firstRepStartFrom(long customerEndMs) {
        long first = -1;
        for (var segment : segments) {
            if (segment.rep() && segment.startMs() >= customerEndMs && (first < 0 || segment.startMs() < first)) {
                first = segment.startMs();
            }
        }
        return first;
    }

    /** One of the session's own transcripts: which tracks it carries, and where its session time lies on the clock. */
    void own(Transcript transcript) {
        if (Track.CUSTOMER.equals(transcript.track())) {
            ownCustomer = true;
        }
        if (transcript.receivedAt() != null) {
            anchor = transcript.receivedAt().minusMillis(Math.max(0, transcript.endMs()));
        }
    }

    /** The session started at {@code at}: session time 0 until a transcript of its own tells better. */
    void startedAt(Instant at) {
        if (anchor == null && at != null) {
            anchor = at;
        }
    }

    boolean ownCustomer() {
        return ownCustomer;
    }

    /**
     * The customer's speech from {@code startAt} to {@code endAt} (wall clock) heard by another leg of the call, in
     * this session's time: a final counts as the customer's utterance, a partial as speech going on. False (nothing
     * recorded) before this session's time is known.
     */
    boolean farEnd(String utteranceId, boolean isFinal, Instant startAt, Instant endAt) {
        if (anchor == null) {
            return false;
        }
        long start = Math.max(0, startAt.toEpochMilli() - anchor.toEpochMilli());
        long end = Math.max(start, endAt.toEpochMilli() - anchor.toEpochMilli());
        var speech = new Transcript(utteranceId, Track.CUSTOMER, "", isFinal, start, end, 1.0, "far-end", null);
        if (isFinal) {
            add(speech);
        } else if (end > start) {
            lastCustomerEndMs = Math.max(lastCustomerEndMs, end);
            if (liveRep != null && end > liveRep.startMs()) {
                liveRep = null;
            }
        }
        return true;
    }

    /**
     * A partial transcript: the rep's is speech still going on; the customer's ends the rep's monologue (its final
     * follows and is counted then).
     */
    void partial(Transcript transcript, UUID eventId, Instant eventTime) {
        long start = Math.max(0, transcript.startMs());
        long end = Math.max(start, transcript.endMs());
        if (!Track.AGENT.equals(transcript.track())) {
            lastCustomerEndMs = Math.max(lastCustomerEndMs, end);
            liveRep = null;
        } else if (end > start && (liveRep == null || !liveRep.utteranceId().equals(transcript.utteranceId())
                || end > liveRep.endMs())) {
            liveRep = new LiveSpeech(transcript.utteranceId(), start, end, eventId, eventTime, transcript.receivedAt());
        }
    }

    /** The rep's utterance still being spoken, null when none is. */
    LiveSpeech liveRep() {
        return liveRep;
    }

    /** The rep's monologue (finished utterances since the customer last spoke, and the one going on) up to {@code untilMs}. */
    long liveMonologueMs(long untilMs) {
        if (liveRep == null) {
            return 0;
        }
        long start = monologueStartMs >= 0 && monologueStartMs >= lastCustomerEndMs
                ? Math.min(monologueStartMs, liveRep.startMs()) : Math.max(liveRep.startMs(), lastCustomerEndMs);
        return Math.max(0, untilMs - start);
    }

    /** Session time of the latest speech seen. */
    long nowMs() {
        return nowMs;
    }

    long speechInWindowMs() {
        return speechInWindowMs(true) + speechInWindowMs(false);
    }

    long repSpeechInWindowMs() {
        return speechInWindowMs(true);
    }

    /** The rep's share of the speech in the window, 0 when nobody spoke. */
    double repShare() {
        long total = speechInWindowMs();
        return total == 0 ? 0 : (double) speechInWindowMs(true) / total;
    }

    /** How long the rep has been talking since the customer last said something. */
    long monologueMs() {
        return monologueStartMs < 0 ? 0 : lastRepEndMs - monologueStartMs;
    }

    int repQuestions() {
        return repQuestions;
    }

    /** Times the rep started talking while the customer was still speaking, since {@link #resetInterruptions()}. */
    int repInterruptions() {
        return repInterruptions;
    }

    void resetInterruptions() {
        repInterruptions = 0;
    }

    /**
     * Overlapping speech of the two tracks: whoever started later talked over the other. Counted when the second of
     * the two utterances arrives, whichever order their finals come in.
     */
    private void countInterruption(Segment added, Segment other) {
        if (other == null || added.startMs() >= other.endMs() || other.startMs() >= added.endMs()) {
            return;
        }
        boolean repStartedLater = added.rep() ? added.startMs() > other.startMs() : other.startMs() > added.startMs();
        if (repStartedLater) {
            repInterruptions++;
        }
    }

    private long speechInWindowMs(boolean rep) {
        long from = nowMs - windowMs;
        long sum = 0;
        for (var segment : segments) {
            if (segment.rep() == rep) {
                sum += Math.max(0, segment.endMs() - Math.max(from, segment.startMs()));
            }
        }
        return sum;
    }

    /** A question mark, or (speech-to-text has no punctuation) a leading question word. */
    static boolean isQuestion(String text) {
        if (text == null) {
            return false;
        }
        if (text.indexOf('?') >= 0) {
            return true;
        }
        var words = NormalizedText.of(text).words();
        return !words.isEmpty() && QUESTION_WORDS.contains(words.getFirst());
    }
}
