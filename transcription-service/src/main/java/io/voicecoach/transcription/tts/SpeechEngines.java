package io.voicecoach.transcription.tts;

import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The engine and voice each tenant's replies are spoken with ({@code voicecoach.tts.tenants."<tenant>".*}). */
@ApplicationScoped
public class SpeechEngines {

    private final List<SpeechEngine> engines;
    private final TtsConfig config;

    public SpeechEngines(@All List<SpeechEngine> engines, TtsConfig config) {
        this.engines = engines;
        this.config = config;
    }

    /** The tenant's engine, empty when this instance has none of that name. */
    public Optional<SpeechEngine> engineFor(String tenantId) {
        String name = tenant(tenantId).flatMap(TtsConfig.Tenant::engine).orElse(config.engine());
        return engines.stream().filter(engine -> engine.name().equalsIgnoreCase(name.toLowerCase(Locale.ROOT)))
                .findFirst();
    }

    public String engineName(String tenantId) {
        return tenant(tenantId).flatMap(TtsConfig.Tenant::engine).orElse(config.engine());
    }

    public String voiceFor(String tenantId) {
        return tenant(tenantId).flatMap(TtsConfig.Tenant::voice).orElse(config.voice());
    }

    private Optional<TtsConfig.Tenant> tenant(String tenantId) {
        return Optional.ofNullable(config.tenants().get(tenantId));
    }
}
