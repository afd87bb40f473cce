package io.voicecoach.transcription.stt;

import io.voicecoach.transcription.openai.OpenAiHttp;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ConfigMapping(prefix = "voicecoach.stt")
public interface SttConfig {

    /** Engine for tenants without an override: {@code pocketsphinx}, {@code openai-compatible}, {@code deepgram}, {@code whisper}. */
    @WithDefault("pocketsphinx")
    String engine();

    /**
     * Engines a client may choose ({@code vc-stt-engine}) for tenants without their own {@code allowed-engines}: engine
     * names, or {@code local} for every engine that keeps the audio on this machine ({@link SttEngine#external()} false).
     * The tenant's default engine is always allowed. By default no client can send audio off the machine.
     */
    @WithDefault(EngineSelector.LOCAL)
    List<String> allowedEngines();

    /** Per-tenant settings: {@code voicecoach.stt.tenants."<tenant>".engine}, {@code ...phrases}, {@code ...allowed-engines}. */
    Map<String, Tenant> tenants();

    /** Language when the session declares none. */
    @WithDefault("en-US")
    String language();

    /** Longest an engine may take to finish an utterance after its commit chunk. */
    @WithDefault("PT15S")
    Duration finishTimeout();

    /**
     * An open utterance without a chunk for this long is finalized from the audio that arrived (its commit is not
     * coming: the gateway died between chunks or the client vanished).
     */
    @WithDefault("PT30S")
    Duration idleTimeout();

    /** How often open utterances are checked against {@link #idleTimeout()} (read by {@code Utterances}' schedule). */
    @WithDefault("PT5S")
    Duration sweepInterval();

    /** Per-session state (tenant owner, audio counters, transcript seq, refused engines) untouched this long is forgotten. */
    @WithDefault("PT10M")
    Duration sessionTtl();

    /** Sessions whose state is kept at most; beyond it the least recently touched one is forgotten. */
    @WithDefault("10000")
    int maxSessions();

    /**
     * Diagnostic only: decode every utterance with the tenant's defaults, ignoring the {@code vc-stt-*} and
     * {@code vc-language} headers (shows once that the fault suite notices settings that do not reach the decoder).
     */
    @WithDefault("false")
    boolean ignoreAudioSettings();

    /**
     * Longest utterance, in seconds of audio: an utterance that goes on past it fails with {@code transcript.failed}
     * {@code utterance_too_long} (its audio is not decoded, its later chunks are dropped), so one utterance's audio and
     * decoding work are bounded whatever the client does ({@code turn_detection: null} and no commit).
     */
    @WithDefault("PT60S")
    Duration maxUtterance();

    /**
     * Audio a session may send relative to real time, all its tracks together, measured on the gateway's
     * {@code vc-received-at} (so a replay after a partition move or a consumer lag is judged as it was sent); beyond it
     * (after {@code audio-rate-burst}) its chunks are dropped and the utterance they belong to fails with
     * {@code audio_rate_exceeded}. {@code 0} switches the check off.
     */
    @WithDefault("4")
    double maxAudioRate();

    /** Audio beyond {@code max-audio-rate} a session may send at once (a client flushing its buffer after a stall). */
    @WithDefault("PT30S")
    Duration audioRateBurst();

    /** Phrases an utterance's {@code vc-stt-phrases} may hold; more is refused (the chunk goes to the DLQ). */
    @WithDefault("100")
    int maxPhrases();

    /** Characters of one phrase of {@code vc-stt-phrases}; a longer one is refused (the chunk goes to the DLQ). */
    @WithDefault("100")
    int maxPhraseChars();

    /** Publish {@code transcript.partial} events at all. */
    @WithDefault("true")
    boolean partials();

    /** At most one partial per utterance per interval, and only when its text changed. */
    @WithDefault("PT0.5S")
    Duration partialInterval();

    Pocketsphinx pocketsphinx();

    interface Tenant {
        /** The tenant's default engine; an utterance may ask for another one ({@code vc-stt-engine}). */
        Optional<String> engine();

        /** Phrase list that biases recognition for every session of the tenant (comma-separated). */
        Optional<List<String>> phrases();

        /** Engines the tenant's clients may choose, instead of {@code voicecoach.stt.allowed-engines} (same entries). */
        Optional<List<String>> allowedEngines();
    }

    OpenAi openai();

    Deepgram deepgram();

    Whisper whisper();

    interface Whisper {
        /** whisper.cpp ggml model file; enables the {@code whisper} engine. Missing or corrupt stops the start. */
        Optional<String> model();

        /** CPU threads of one decode. */
        @WithDefault("2")
        int threads();

        /** Utterances decoded at once; more wait. */
        @WithDefault("1")
        int maxConcurrent();
    }

    interface Deepgram {
        /** Enables the {@code deepgram} engine; sent as {@code Authorization: Token <key>}. */
        Optional<String> apiKey();

        /** Streaming endpoint. */
        @WithDefault("wss://api.deepgram.com/v1/listen")
        String url();

        /** {@code model} query parameter (e.g. {@code nova-2}); Deepgram's default when absent. */
        Optional<String> model();

        /** Silence that ends a speech segment ({@code endpointing} query parameter, in ms). */
        @WithDefault("PT0.3S")
        Duration endpointing();

        /** Intensifier of each phrase-list phrase in the {@code keywords} query parameter. */
        @WithDefault("2")
        int keywordBoost();

        /** WebSocket handshake. */
        @WithDefault("PT5S")
        Duration connectTimeout();

        /** Longest wait for a sent frame, and for the stream's close after {@code CloseStream}. */
        @WithDefault("PT10S")
        Duration responseTimeout();
    }

    interface Pocketsphinx {
        /** The CMU PocketSphinx decoder (Debian {@code pocketsphinx}); one process per utterance being decoded. */
        @WithDefault("pocketsphinx_continuous")
        String binary();

        /** Model folder with {@code en-us/} (acoustic model) and {@code cmudict-en-us.dict} (Debian {@code pocketsphinx-en-us}). */
        @WithDefault("/usr/share/pocketsphinx/model/en-us")
        String modelDir();

        /** Utterances decoded at once; more wait for a free slot. Each decoder takes ~16 MB and part of a core. */
        @WithDefault("8")
        int maxDecoders();

        /** How many times a phrase-list phrase counts in the domain language model (higher = stronger bias). */
        @WithDefault("5")
        int phraseBoost();

        /** Extra domain sentences (one per line) added to the built-in sales-call sentences. */
        Optional<String> corpusPath();

        /** Phrase lists kept compiled into language models (least recently used are deleted). */
        @WithDefault("64")
        int cachedModels();

        /**
         * New audio between two decodes of the utterance so far, for partials while speech goes on without a pause;
         * {@code PT0S} disables them (partials then come only at pauses). A decode runs only with a free decoder slot.
         */
        @WithDefault("PT1S")
        Duration partialInterval();

        /** Utterance audio past which no more decodes-so-far run (their cost grows with the audio). */
        @WithDefault("PT20S")
        Duration partialMaxAudio();
    }

    /** {@code voicecoach.stt.openai.*}: the engine posts to {@code {base-url}/v1/audio/transcriptions}. */
    interface OpenAi extends OpenAiHttp.Settings {
        @WithDefault("whisper-1")
        String model();
    }
}
