package io.voicecoach.transcription.stt;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ConfigMapping(prefix = "voicecoach.stt")
public interface SttConfig {

    /** Engine for tenants without an override: {@code pocketsphinx} or {@code openai-compatible}. */
    @WithDefault("pocketsphinx")
    String engine();

    /** Per-tenant engine override: {@code voicecoach.stt.tenant-engine.<tenant>=<engine>}. */
    Map<String, String> tenantEngine();

    /** Per-tenant phrase list that biases recognition: {@code voicecoach.stt.tenant-phrases.<tenant>=a,b}. */
    Map<String, List<String>> tenantPhrases();

    /** Language when the session declares none. */
    @WithDefault("en-US")
    String language();

    /** Longest an engine may take to finish an utterance after its commit chunk. */
    @WithDefault("PT15S")
    Duration finishTimeout();

    /** Utterances without a commit chunk for this long are dropped (the client vanished). */
    @WithDefault("PT2M")
    Duration idleTimeout();

    /** Publish {@code transcript.partial} events at all. */
    @WithDefault("true")
    boolean partials();

    /** At most one partial per utterance per interval, and only when its text changed. */
    @WithDefault("PT0.5S")
    Duration partialInterval();

    Pocketsphinx pocketsphinx();

    OpenAi openai();

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
    }

    interface OpenAi {
        /** Server root; the engine posts to {@code {base-url}/v1/audio/transcriptions}. */
        @WithDefault("https://api.openai.com")
        String baseUrl();

        Optional<String> apiKey();

        @WithDefault("whisper-1")
        String model();

        @WithDefault("PT2S")
        Duration connectTimeout();

        /** Per attempt. */
        @WithDefault("PT10S")
        Duration requestTimeout();

        /** Attempts after the first on 429, 5xx and connection failures. */
        @WithDefault("2")
        int maxRetries();

        /** First back-off; doubles per attempt, a server's Retry-After wins when it is longer. */
        @WithDefault("PT0.2S")
        Duration backoff();

        /** Upper bound of any back-off (also caps Retry-After). */
        @WithDefault("PT5S")
        Duration maxBackoff();
    }
}
