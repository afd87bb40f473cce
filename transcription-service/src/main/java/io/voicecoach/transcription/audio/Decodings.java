package io.voicecoach.transcription.audio;

import io.voicecoach.transcription.stt.EngineSelector;
import io.voicecoach.transcription.stt.SttConfig;
import io.voicecoach.transcription.stt.SttEngine;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * How an utterance is decoded, from the settings of its first chunk and the tenant's configuration alone, so whichever
 * instance owns the partition decodes it the same way: the engine asked for if the tenant may use it and this instance
 * has it enabled ({@link EngineSelector#choose}), else the tenant's default engine ({@code voicecoach.stt.tenants."<tenant>".engine}, else {@code voicecoach.stt.engine}); the
 * language asked for, else {@code voicecoach.stt.language}; the tenant's phrases followed by the session's.
 */
@ApplicationScoped
public class Decodings {

    /**
     * @param refusedEngine the engine name the utterance asked for that the tenant may not use or this instance does not
     *                      have, or null
     * @param refusalCode   why: {@code engine_not_allowed} or {@code engine_unavailable}; null when nothing was refused
     */
    public record Plan(SttEngine engine, String language, List<String> phrases, String refusedEngine, String refusalCode) {
    }

    private final EngineSelector engines;
    private final SttConfig config;

    public Decodings(EngineSelector engines, SttConfig config) {
        this.engines = engines;
        this.config = config;
    }

    public Plan plan(String tenantId, UtteranceSettings asked) {
        // diagnostic only: what decoding looked like when the settings did not reach the decoding instance
        var settings = config.ignoreAudioSettings() || asked == null ? UtteranceSettings.NONE : asked;
        var choice = engines.choose(tenantId, settings.engine());
        var phrases = new ArrayList<String>();
        var tenant = config.tenants().get(tenantId);
        if (tenant != null) {
            tenant.phrases().ifPresent(phrases::addAll);
        }
        phrases.addAll(settings.phrases());
        return new Plan(choice.engine(), settings.language() != null ? settings.language() : config.language(),
                List.copyOf(phrases), choice.refusedEngine(), choice.refusalCode());
    }
}
