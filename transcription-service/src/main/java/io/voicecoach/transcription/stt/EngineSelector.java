package io.voicecoach.transcription.stt;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Chooses the engine of an utterance: the one its first chunk asks for ({@code vc-stt-engine}) when this instance has
 * that engine enabled, else {@code voicecoach.stt.tenants."<tenant>".engine}, else {@code voicecoach.stt.engine}.
 * Configured engines that are unknown or disabled stop the start.
 */
@Startup
@ApplicationScoped
public class EngineSelector {

    /** Names clients may use for an engine (the Realtime API says {@code openai}). */
    private static final Map<String, String> ALIASES = Map.of("openai", "openai-compatible");

    private final Map<String, SttEngine> engines;
    private final SttConfig config;

    @Inject
    public EngineSelector(Instance<SttEngine> available, SttConfig config) {
        this(available.stream().toList(), config);
    }

    public EngineSelector(List<SttEngine> available, SttConfig config) {
        this.engines = available.stream().filter(SttEngine::enabled)
                .collect(Collectors.toMap(SttEngine::name, e -> e, (a, b) -> a, TreeMap::new));
        this.config = config;
        require(config.engine(), "voicecoach.stt.engine");
        config.tenants().forEach((tenant, settings) -> settings.engine()
                .ifPresent(engine -> require(engine, "voicecoach.stt.tenants.\"" + tenant + "\".engine")));
    }

    public SttEngine defaultFor(String tenantId) {
        var tenant = config.tenants().get(tenantId);
        return find(tenant == null ? config.engine() : tenant.engine().orElse(config.engine())).orElseThrow();
    }

    /** An enabled engine by name or alias, case-insensitive. */
    public Optional<SttEngine> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String key = name.strip().toLowerCase(Locale.ROOT);
        return Optional.ofNullable(engines.get(ALIASES.getOrDefault(key, key)));
    }

    public Set<String> names() {
        return engines.keySet();
    }

    private void require(String engine, String property) {
        if (find(engine).isEmpty()) {
            throw new IllegalStateException(property + "=" + engine + " is not an enabled engine; enabled: " + engines.keySet()
                    + " (whisper needs voicecoach.stt.whisper.model, deepgram voicecoach.stt.deepgram.api-key)");
        }
    }
}
