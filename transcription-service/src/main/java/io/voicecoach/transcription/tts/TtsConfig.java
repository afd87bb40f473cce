package io.voicecoach.transcription.tts;

import io.voicecoach.transcription.openai.OpenAiHttp;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The speech stage: the voice agent's replies ({@code agent.replies}) spoken onto {@code agent.speech}. */
@ConfigMapping(prefix = "voicecoach.tts")
public interface TtsConfig {

    /** False: replies are read and acknowledged but not spoken (no {@code agent.speech} events). */
    @WithDefault("true")
    boolean enabled();

    /** Engine for tenants without an override: {@code espeak-ng} or {@code openai-compatible}. */
    @WithDefault("espeak-ng")
    String engine();

    /** OpenAI voice name for tenants without an override (alloy, ash, ballad, coral, echo, sage, shimmer, verse, marin, cedar). */
    @WithDefault("alloy")
    String voice();

    /** Per tenant: {@code voicecoach.tts.tenants."<tenant>".voice}, {@code ...engine}. */
    Map<String, Tenant> tenants();

    /** Syntheses running at once on this instance (each an engine call; espeak-ng: one process). */
    @WithDefault("2")
    int maxConcurrent();

    /** Longest one sentence's synthesis may take before it fails with {@code engine_timeout}. */
    @WithDefault("PT10S")
    Duration timeout();

    /** Audio per {@code agent.speech.audio_delta} event (the last one of a sentence may be shorter). */
    @WithDefault("PT0.2S")
    Duration chunkDuration();

    /** A clause ({@code , ; :}) ends a chunk once the text since the last cut is at least this long. */
    @WithDefault("40")
    int clauseMinChars();

    /** Text without a sentence or clause end is cut at a space once it is this long. */
    @WithDefault("200")
    int maxChunkChars();

    /**
     * A reply whose {@code agent.response.done} has not come this long after its first record is given up: its
     * records are acknowledged and what was not spoken yet is not (coaching died mid-reply and answers anew).
     */
    @WithDefault("PT60S")
    Duration replyTimeout();

    Espeak espeak();

    /** The {@code openai-compatible} engine: any server speaking OpenAI's {@code POST /v1/audio/speech}. */
    OpenAi openai();

    /** {@code voicecoach.tts.openai.*}: the engine posts to {@code {base-url}/v1/audio/speech}. */
    interface OpenAi extends OpenAiHttp.Settings {
        @WithDefault("gpt-4o-mini-tts")
        String model();
    }

    interface Tenant {
        Optional<String> voice();

        Optional<String> engine();
    }

    interface Espeak {
        /** The espeak-ng executable (Debian package {@code espeak-ng}). */
        @WithDefault("espeak-ng")
        String binary();

        /** Words per minute. */
        @WithDefault("175")
        int speed();

        /** OpenAI voice name -> espeak-ng voice; names not listed here use the built-in table ({@code EspeakVoices}). */
        Map<String, String> voices();
    }
}
