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
 * Chooses the engine of an utterance: the one its first chunk asks for ({@code vc-stt-engine}) when the tenant may use
 * it and this instance has it enabled, else {@code voicecoach.stt.tenants."<tenant>".engine}, else
 * {@code voicecoach.stt.engine}. A tenant may use its default engine and the engines of its allowed list
 * ({@code voicecoach.stt.tenants."<tenant>".allowed-engines}, else {@code voicecoach.stt.allowed-engines}), whose
 * {@code local} entry stands for every engine that keeps the audio on this machine. The policy depends on configuration
 * alone, so every instance refuses the same names. Configured engines that are unknown or disabled stop the start, as do
 * allowed-list entries that name no engine.
 */
@Startup
@ApplicationScoped
public class EngineSelector {

    /** The allowed-list entry for every engine that is not {@link SttEngine#external()}. */
    public static final String LOCAL = "local";
    public static final String NOT_ALLOWED = "engine_not_allowed";
    public static final String UNAVAILABLE = "engine_unavailable";

    /** Names clients may use for an engine (the Realtime API says {@code openai}). */
    private static final Map<String, String> ALIASES = Map.of("openai", "openai-compatible");

    /**
     * The engine that decodes an utterance; when the client asked for another one, its name as asked and why it was
     * refused ({@link #NOT_ALLOWED} or {@link #UNAVAILABLE}), else both null.
     */
    public record Choice(SttEngine engine, String refusedEngine, String refusalCode) {
    }

    private final Map<String, SttEngine> known;
    private final Map<String, SttEngine> engines;
    private final SttConfig config;

    @Inject
    public EngineSelector(Instance<SttEngine> available, SttConfig config) {
        this(available.stream().toList(), config);
    }

    public EngineSelector(List<SttEngine> available, SttConfig config) {
        this.known = available.stream()
                .collect(Collectors.toMap(SttEngine::name, e -> e, (a, b) -> a, TreeMap::new));
        this.engines = available.stream().filter(SttEngine::enabled)
                .collect(Collectors.toMap(SttEngine::name, e -> e, (a, b) -> a, TreeMap::new));
        this.config = config;
        require(config.engine(), "voicecoach.stt.engine");
        requireKnown(config.allowedEngines(), "voicecoach.stt.allowed-engines");
        config.tenants().forEach((tenant, settings) -> {
            String prefix = "voicecoach.stt.tenants.\"" + tenant + "\".";
            settings.engine().ifPresent(engine -> require(engine, prefix + "engine"));
            settings.allowedEngines().ifPresent(list -> requireKnown(list, prefix + "allowed-engines"));
        });
    }

    public SttEngine defaultFor(String tenantId) {
        var tenant = config.tenants().get(tenantId);
        return find(tenant == null ? config.engine() : tenant.engine().orElse(config.engine())).orElseThrow();
    }

    /** The engine for an utterance of the tenant that asked for {@code requested} (null: the tenant's default). */
    public Choice choose(String tenantId, String requested) {
        var fallback = defaultFor(tenantId);
        if (requested == null) {
            return new Choice(fallback, null, null);
        }
        var asked = lookup(known, requested);
        if (asked.isPresent() && asked.get() != fallback && !allowed(tenantId, asked.get())) {
            return new Choice(fallback, requested, NOT_ALLOWED);
        }
        return find(requested).map(engine -> new Choice(engine, null, null))
                .orElseGet(() -> new Choice(fallback, requested, UNAVAILABLE));
    }

    /** Whether the tenant's clients may choose {@code engine} (its default engine always). */
    public boolean allowed(String tenantId, SttEngine engine) {
        var tenant = config.tenants().get(tenantId);
        var list = tenant == null ? config.allowedEngines() : tenant.allowedEngines().orElse(config.allowedEngines());
        return engine == defaultFor(tenantId) || list.stream().anyMatch(entry -> LOCAL.equals(normalise(entry))
                ? !engine.external() : lookup(known, entry).filter(e -> e == engine).isPresent());
    }

    /** An enabled engine by name or alias, case-insensitive. */
    public Optional<SttEngine> find(String name) {
        return lookup(engines, name);
    }

    public Set<String> names() {
        return engines.keySet();
    }

    private static Optional<SttEngine> lookup(Map<String, SttEngine> engines, String name) {
        if (name == null) {
            return Optional.empty();
        }
        String key = normalise(name);
        return Optional.ofNullable(engines.get(ALIASES.getOrDefault(key, key)));
    }

    private static String normalise(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }

    private void require(String engine, String property) {
        if (find(engine).isEmpty()) {
            throw new IllegalStateException(property + "=" + engine + " is not an enabled engine; enabled: " + engines.keySet()
                    + " (whisper needs voicecoach.stt.whisper.model, deepgram voicecoach.stt.deepgram.api-key)");
        }
    }

    private void requireKnown(List<String> entries, String property) {
        for (String entry : entries) {
            if (!LOCAL.equals(normalise(entry)) && lookup(known, entry).isEmpty()) {
                throw new IllegalStateException(property + " names " + entry + ", which is no engine; engines: "
                        + known.keySet() + ", or " + LOCAL);
            }
        }
    }
}
