package io.voicecoach.analytics.api;

/** The metric definitions as published in the OpenAPI document (and, at more length, the README). */
final class SessionMetricsDocs {

    static final String METRICS = """
            Conversation metrics from the exact per-track utterance timings (startMs/endMs); the rep is the agent track.
            durationMs: session.ended's durationMs, else the end of the last utterance.
            audioMinutes: durationMs / 60000 x number of tracks with at least one utterance transcribed from audio \
            (engine other than 'text').
            speakers.<track>.talkMs: time covered by the track's utterances (its own overlaps counted once); \
            shareOfTalk = talkMs / all tracks' talkMs; shareOfCall = talkMs / durationMs; talkListenRatio = talkMs / \
            the other track's talkMs (null when that is 0).
            longestMonologue / speakers.<track>.longestMonologueMs: longest run of consecutive same-speaker utterances \
            (by start) whose silences are shorter than voicecoach.metrics.monologue-gap (2 s); any other speaker's \
            utterance ends a run.
            repQuestions / speakers.<track>.questions: sentences (split after . ? !) that end with '?' or open with an \
            interrogative word (what, why, how, when, where, who, which, can, could, would, will, do, does, did, is, \
            are, was, were, have, has, should, shall, may, might, am and their n't forms).
            interruptions / interruptionsMade / timesInterrupted: an utterance that starts strictly after another \
            speaker's utterance started and before it ended.
            speakers.<track>.words, wordsPerMinute: words (letters/digits, apostrophes kept) per minute of talkMs.
            speakers.<track>.fillerWords, fillers: um, umm, uh, uhm, erm, er, ah, hmm, basically, actually, \
            literally, 'you know', 'i mean' (not after do/did/does/if/what), like (not after a pronoun, would, 'd, to, \
            do/does/did and their n't forms, feel, look, sound, seem, something, anything, nothing).
            objections: coaching prompts of kind 'objection' on a known utterance, one per (utterance, category). \
            addressed: the rep's next utterance (first agent utterance starting after the objection started) starts at \
            most voicecoach.metrics.objection-response-window (10 s) after the objection ended, and the customer's \
            next utterance after that reply does not raise the same category again; responseMs = reply start - \
            objection end (0 if the rep cut in).
            sentiment.utterances[].score: (positive - negative) / (positive + negative) over lexicon words, a word \
            preceded within two words by a negator (not, no, never, don't, ...) counting with the opposite sign; 0 \
            without lexicon words. label positive (>0), negative (<0), neutral.
            sentiment.trend.<track>: mean score of utterances starting in the first half of the call vs the second \
            half; change = second - first; improving (>= 0.2), declining (<= -0.2), steady, or unknown when a half \
            has no utterance.
            prompts: generated = coaching suggestions, shown = those with a delivery receipt (hop latencies: see \
            latency).
            stages: the stage timeline from coaching.stage_changed events, as consecutive spans {stage, methodology, \
            startMs, endMs, durationMs, utteranceId}. Changes are ordered by atMs; each opens a span of its stage until \
            the next change (the last until durationMs); a change to the current stage opens none; before the first \
            change its previousStage (if given) runs from 0.
            llm: LLM calls reported by llm.usage: calls, failed (outcome other than ok), promptTokens, \
            completionTokens, totalTokens = prompt + completion, costUsd = sum of the reported costs (USD, 6 \
            decimals), byPurpose.<purpose> {calls, totalTokens, costUsd}.
            transcriptionFailures: transcript.failed events {count, byCode}.""";

    private SessionMetricsDocs() {
    }
}
