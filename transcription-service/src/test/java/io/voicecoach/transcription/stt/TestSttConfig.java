package io.voicecoach.transcription.stt;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.util.HashMap;
import java.util.Map;

/** {@link SttConfig} from a few properties (the defaults for the rest), for tests without the application. */
public final class TestSttConfig {

    public static SttConfig of(Map<String, String> properties) {
        var all = new HashMap<>(Map.of("voicecoach.stt.engine", ScriptedEngine.NAME));
        all.putAll(properties);
        return new SmallRyeConfigBuilder().withMapping(SttConfig.class)
                .withSources(new PropertiesConfigSource(all, "test", 500)).build()
                .getConfigMapping(SttConfig.class);
    }

    private TestSttConfig() {
    }
}
