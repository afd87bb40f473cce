package io.voicecoach.gateway.audio;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.util.Optional;

/** Which voice activity engine {@code server_vad} runs on. */
@ConfigMapping(prefix = "voicecoach.vad")
public interface VadConfig {

    enum Engine { ENERGY, SILERO }

    /** {@code energy} (default, no model) or {@code silero} (needs {@link #sileroModel()}). */
    @WithDefault("energy")
    Engine engine();

    /** Path of the Silero VAD v5 ONNX file; required with engine {@code silero}, checked at start-up. */
    Optional<Path> sileroModel();

    /** ONNX Runtime threads per inference; 1 suits many concurrent tracks. */
    @WithDefault("1")
    int sileroThreads();
}
