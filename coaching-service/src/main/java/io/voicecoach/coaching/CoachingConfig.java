package io.voicecoach.coaching;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

@ConfigMapping(prefix = "voicecoach.coaching")
public interface CoachingConfig {

    /** Classpath resource holding the playbook; a malformed one fails start-up. */
    @WithDefault("playbooks/default.json")
    String playbook();

    /** How long an objection waits for tool-service's battle card before the suggestion goes out without one. */
    @WithDefault("400ms")
    Duration battleCardWait();

    /**
     * Characters of an utterance that are coached (rules, embeddings, compliance, citations, LLM, the agent); a longer
     * one (typed text can be about 1 MiB) is cut here, so one message costs every tenant on the partition a bounded
     * amount of work.
     */
    @WithDefault("2000")
    int maxUtteranceChars();

    /** How many sessions keep a sequence counter for what is published off the stream thread (LRU). */
    @WithDefault("10000")
    int sessionCapacity();

    State state();

    FairShare fairShare();

    /**
     * Each tenant's share of this instance's stream thread (CPU time its records cost there, per tenant; see README,
     * "Fair share"). Beyond it, the tenant's final transcripts are recorded but not classified until its share refills.
     */
    interface FairShare {

        /**
         * CPU time of the stream thread a tenant may use per second of wall clock; {@code 0} (the default) = no limit.
         * Off by default: a tenant beyond its share loses classification, compliance checks included, which a busy
         * but honest tenant must not (README, "Fair share").
         */
        @WithDefault("0s")
        Duration cpuPerSecond();

        /**
         * CPU time a tenant may use at once before the rate applies (the bucket's size); room for a cold JVM's first
         * utterances, whose embeddings cost many times more before the JIT compiled them.
         */
        @WithDefault("2s")
        Duration burst();

        /**
         * A tenant beyond its share is still classified when no other tenant's record was processed on the instance
         * within this long: alone on the thread, it holds nobody up.
         */
        @WithDefault("1s")
        Duration othersWithin();

        /** Tenants whose share is remembered on this instance (least recently seen forgotten first). */
        @WithDefault("10000")
        int tenants();
    }

    /** Per-session state in Kafka Streams stores (see README, "Session state"). */
    interface State {

        /**
         * Diagnostic: {@code false} keeps the stores in memory only, without changelog (so no standby either): a
         * session's state is lost when its partition moves. Only to show once that the fault suite notices.
         */
        @WithDefault("true")
        boolean changelog();

        /** A session without any event for this long (event time against the wall clock) is removed from the store. */
        @WithDefault("1h")
        Duration inactivityTtl();

        /**
         * After taking a partition over, how long an instance processes what is queued before it times out anything
         * by the wall clock (answers published in time still count); also the lateness allowed on stream time.
         */
        @WithDefault("2s")
        Duration takeoverGrace();

        /** How often deadlines (battle-card waits, tool rounds, lost agent workers) are checked. */
        @WithDefault("200ms")
        Duration tick();
    }

    Embeddings embeddings();

    Playbooks playbooks();

    Stages stages();

    Calls calls();

    /** The legs of one call in separate sessions (see README, "Nudges", "A call in two sessions"). */
    interface Calls {

        /**
         * Whether a session of a call hands the customer speech it hears to the call's other legs, so a rep's session
         * whose customer is a second leg measures talk time against it; {@code false}: each session alone.
         */
        @WithDefault("true")
        boolean join();

        /** Legs one call may have; later sessions of the call are not joined (each speech is copied to every leg). */
        @WithDefault("8")
        int maxLegs();
    }

    Kb kb();

    interface Kb {

        /** Largest document accepted by {@code POST /api/v1/kb/documents}; larger ones get 413. */
        @WithDefault("2000000")
        int maxDocumentBytes();

        /** Characters of text one document may yield after extraction; more is refused (413). */
        @WithDefault("1000000")
        int maxTextChars();

        /** Bytes a PDF's compressed streams may decode to, all together; more is refused (413) as soon as it is seen. */
        @WithDefault("33554432")
        long maxDecodedBytes();

        /** Pages of a PDF. */
        @WithDefault("500")
        int maxPdfPages();

        /** Characters of a document's title. */
        @WithDefault("200")
        int maxTitleChars();

        /** Documents one tenant may have stored. */
        @WithDefault("200")
        int maxTenantDocuments();

        /** Chunks (searchable pieces) one tenant may have stored, all documents together: its index's memory. */
        @WithDefault("5000")
        int maxTenantChunks();

        /** Threads extracting and embedding uploads, off the request threads and for every tenant together. */
        @WithDefault("1")
        int indexingThreads();

        /** Uploads waiting for an indexing thread (one per tenant at a time); beyond it 503 with Retry-After. */
        @WithDefault("8")
        int indexingQueue();

        /** Chunk size in characters (headings and paragraphs are kept together up to this). */
        @WithDefault("800")
        int chunkChars();

        /** Characters of the previous chunk repeated at the start of the next one. */
        @WithDefault("150")
        int overlapChars();

        /** Cosine similarity the best chunk needs for a suggestion to cite it. */
        @WithDefault("0.45")
        double citeThreshold();

        /** At most this many chunks cited per suggestion (each above the threshold). */
        @WithDefault("2")
        int citations();

        /** Characters of a chunk shown as the citation's excerpt. */
        @WithDefault("240")
        int excerptChars();

        /** How long a tenant's in-memory index is used before it is reloaded (changes through this instance: at once). */
        @WithDefault("60s")
        Duration refresh();

        /** Tenants whose index is kept in memory, least recently used out. */
        @WithDefault("200")
        int cacheCapacity();
    }

    interface Stages {

        /** Whether the methodology stage is tracked and must-say / must-not-say phrases are checked. */
        @WithDefault("true")
        boolean enabled();

        /** Cosine similarity of a rep utterance to one of a stage's questions needed to move to that stage. */
        @WithDefault("0.6")
        double threshold();

        /**
         * How long after a must-say deadline the timer waits before it nudges a quiet call (a phrase said just in
         * time reaches coaching only once speech-to-text has finished the utterance); a transcript past the deadline
         * is judged at once on its own call time.
         */
        @WithDefault("5s")
        Duration mustSayGrace();

        /**
         * Whether the timer nudges a quiet call about must-say phrases past their deadline; {@code false}: only a
         * transcript past the deadline does (suggestions then depend on what was said alone, as the fault suite needs).
         */
        @WithDefault("true")
        boolean mustSayTimer();

        /**
         * How long after {@code session.ended} the end-of-call checklist waits before it closes: the gateway commits
         * what the caller said last as the connection closes, so that utterance's final transcript reaches coaching
         * after {@code session.ended}, and a phrase said just before hanging up must still count.
         */
        @WithDefault("5s")
        Duration endGrace();
    }

    interface Playbooks {

        /**
         * How long a tenant's detector is used before the active version is checked in the database again. A change
         * through this instance's API takes effect at once; other instances see it within this time.
         */
        @WithDefault("10s")
        Duration refresh();

        /** Tenants whose built playbook engine (detector, stage model) is kept in memory, least recently used out. */
        @WithDefault("1000")
        int cacheCapacity();

        /** What a tenant may store with {@code PUT /api/v1/playbook}; defaults = {@code PlaybookLimits.DEFAULT}. */
        Limits limits();

        interface Limits {
            /** Characters of the whole JSON document. */
            @WithDefault("1000000")
            int maxChars();

            /** Objection categories. */
            @WithDefault("50")
            int maxRules();

            /** Example sentences of one rule (each objection, the buying signals, the neutral examples). */
            @WithDefault("500")
            int maxExamplesPerRule();

            /** Characters of one example sentence or stage question. */
            @WithDefault("500")
            int maxExampleChars();

            /** Sentences embedded in all: examples, neutral examples, stage questions. */
            @WithDefault("5000")
            int maxSentences();

            /** Entries of every other list (phrases, keywords, patterns, negators, names, stages, compliance rules). */
            @WithDefault("500")
            int maxItems();

            /** Characters of every other string (phrases, answers, messages). */
            @WithDefault("2000")
            int maxTextChars();

            /** Characters of one pattern. */
            @WithDefault("500")
            int maxPatternChars();

            /** Estimated compiled size of one pattern (counted repetition multiplies). */
            @WithDefault("1000")
            int maxPatternSize();

            /** Estimated compiled size of all patterns together: each one runs over every utterance. */
            @WithDefault("20000")
            int maxPatternSizeTotal();
        }
    }

    Replay replay();

    Warmup warmup();

    /** The start-up warm-up of the coaching path ({@code warmup.CoachingWarmup}; on or off: voicecoach.warmup.enabled). */
    interface Warmup {

        /** Scratch calls (ten final transcripts each) run through the live code before the instance is ready. */
        @WithDefault("10")
        int calls();

        /** How long each producer's first metadata fetch may take. */
        @WithDefault("10s")
        java.time.Duration timeout();
    }

    /** Replays of recorded calls through a playbook version (README, "Replay"). */
    interface Replay {

        /** Sessions one replay covers at most; the report says it is not complete when there were more. */
        @WithDefault("50")
        int maxSessions();

        /** The longest time range one replay may cover. */
        @WithDefault("7d")
        Duration maxRange();

        /** How long reading a topic may take; the report says it is not complete when the read was cut. */
        @WithDefault("30s")
        Duration readTimeout();

        /** How long after the range's end a live suggestion of a transcript in the range is still looked for. */
        @WithDefault("2m")
        Duration suggestionSlack();

        /** LLM requests one replay through another model makes at most; the report says it is not complete beyond. */
        @WithDefault("100")
        int maxLlmCalls();

        /** How long one such request may take. */
        @WithDefault("10s")
        Duration llmTimeout();
    }

    Nudges nudges();

    interface Nudges {

        /** Whether talk-time and question nudges are published. */
        @WithDefault("true")
        boolean enabled();

        /** Sliding window of call time for the talk:listen ratio. */
        @WithDefault("3m")
        Duration window();

        /** Rep share of the speech in the window above which the rep is nudged to ask a question. */
        @WithDefault("0.65")
        double maxRepShare();

        /** Speech (both speakers) needed in the window before the ratio is judged. */
        @WithDefault("60s")
        Duration minSpeech();

        /** Rep speech without the customer saying anything that triggers the monologue nudge. */
        @WithDefault("60s")
        Duration monologue();

        /** Call time after which too few rep questions trigger a nudge. */
        @WithDefault("5m")
        Duration questionsAfter();

        /** Questions the rep should have asked by {@code questions-after}. */
        @WithDefault("3")
        int minQuestions();

        /** Event time (transcripts' {@code occurredAt}) before the same nudge type is repeated in a session. */
        @WithDefault("2m")
        Duration cooldown();

        /** Times the rep talks over the customer (since the last such nudge) that trigger the interruptions nudge. */
        @WithDefault("3")
        int maxInterruptions();

        /**
         * How long after the rep's latest partial transcript the rep is taken to be still talking, so the monologue
         * nudge comes while the monologue goes on, not only once its final transcript arrives.
         */
        @WithDefault("15s")
        Duration liveExtrapolation();

        /** Event time before the same objection category is suggested again in a session. */
        @WithDefault("2m")
        Duration repeatCooldown();
    }

    interface Embeddings {

        /** Whether utterances the rules miss are matched by sentence-embedding similarity. */
        @WithDefault("true")
        boolean enabled();

        /** Classifier probability the winning category needs for a detection. */
        @WithDefault("0.4")
        double minProbability();

        /** How much the winning category's probability must exceed the runner-up's ("none" included). */
        @WithDefault("0")
        double margin();

        /** Cosine similarity the most similar example of the winning category must reach. */
        @WithDefault("0.2")
        double threshold();

        /** Share of the 7 nearest examples' vote in the blended probability (the classifier has the rest). */
        @WithDefault("0.25")
        double neighbourWeight();

        /** ONNX Runtime threads per embedding; concurrent utterances already use several worker threads. */
        @WithDefault("1")
        int threads();

        /** Where DJL unpacks the tokenizer's native library (unless DJL_CACHE_DIR is set). */
        @WithDefault("djl-cache")
        String cacheDir();
    }
}
