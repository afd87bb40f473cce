package io.voicecoach.transcription.stt;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Chooses the engine per tenant: {@code voicecoach.stt.tenant-engine.<tenant>}, else {@code voicecoach.stt.engine}. */
@ApplicationScoped
public class EngineSelector {

    private final Map<String, SttEngine> engines;
    private final SttConfig config;

    public EngineSelector(Instance<SttEngine> available, SttConfig config) {
        this.engines = available.stream().collect(Collectors.toMap(SttEngine::name, e -> e, (a, b) -> a, TreeMap::new));
        this.config = config;
        require(config.engine(), "voicecoach.stt.engine");
        config.tenantEngine().forEach((tenant, engine) -> require(engine, "voicecoach.stt.tenant-engine." + tenant));
    }

    public SttEngine engineFor(String tenantId) {
        return engines.get(config.tenantEngine().getOrDefault(tenantId, config.engine()));
    }

    private void require(String engine, String property) {
        if (!engines.containsKey(engine)) {
            throw new IllegalStateException(property + "=" + engine + " is not an engine; known: " + engines.keySet());
        }
    }
}
