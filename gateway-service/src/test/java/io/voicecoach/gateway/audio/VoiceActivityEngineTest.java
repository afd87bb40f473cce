package io.voicecoach.gateway.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Engine selection and the start-up checks of the Silero model (the service's bean fails start-up the same way). */
class VoiceActivityEngineTest {

    @TempDir
    Path dir;

    private static VadConfig config(VadConfig.Engine engine, Path model) {
        return new VadConfig() {
            @Override
            public Engine engine() {
                return engine;
            }

            @Override
            public Optional<Path> sileroModel() {
                return Optional.ofNullable(model);
            }

            @Override
            public int sileroThreads() {
                return 1;
            }
        };
    }

    private static VoiceActivityEngine engine(VadConfig.Engine engine, Path model) {
        return new VoiceActivityEngine(config(engine, model), TurnDetector.VadTuning.DEFAULT);
    }

    @Test
    void energyIsTheDefaultAndNeedsNoModel() {
        var detector = engine(VadConfig.Engine.ENERGY, null).create(TurnDetection.DEFAULT);

        assertThat(detector.frameSamples()).isEqualTo(EnergyClassifier.FRAME_SAMPLES);
    }

    @Test
    void sileroWithoutAModelPathNamesTheProperty() {
        assertThatThrownBy(() -> engine(VadConfig.Engine.SILERO, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("voicecoach.vad.silero-model");
    }

    @Test
    void aMissingModelFileIsAStartUpErrorNamingThePath() {
        var missing = dir.resolve("nowhere/silero_vad.onnx");

        assertThatThrownBy(() -> engine(VadConfig.Engine.SILERO, missing))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("voicecoach.vad.silero-model")
                .hasMessageContaining("not found")
                .hasMessageContaining(missing.toAbsolutePath().toString());
    }

    @Test
    void aCorruptModelFileIsAStartUpErrorNamingThePath() throws Exception {
        var corrupt = dir.resolve("silero_vad.onnx");
        var bytes = new byte[4096];
        new Random(7).nextBytes(bytes);
        Files.write(corrupt, bytes);

        assertThatThrownBy(() -> engine(VadConfig.Engine.SILERO, corrupt))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be used")
                .hasMessageContaining(corrupt.toAbsolutePath().toString());
    }

    @Test
    void sileroRunsOn32MsFramesAndSilenceIsNotSpeechWhateverAnotherTrackHeard() {
        var model = SileroModelFile.fetch();
        assumeTrue(model.isPresent(), SileroModelFile.MISSING);
        var engine = engine(VadConfig.Engine.SILERO, model.get());
        var detector = engine.create(TurnDetection.DEFAULT);
        assertThat(detector.frameSamples()).isEqualTo(512);
        // 60 ms of onset rounds up to two 32 ms frames
        assertThat(detector.onsetMs()).isEqualTo(64);

        try (var silero = SileroModel.load(model.get(), 1)) {
            var speechy = new SileroClassifier(silero);
            var quiet = new SileroClassifier(silero);
            var tone = Signals.sine(220, 0.3, 16000, 512);
            for (int i = 0; i < 10; i++) {
                speechy.isSpeech(tone, 0.5, false);
                quiet.isSpeech(new short[512], 0.5, false);
            }
            // silence stays near zero whatever another track heard
            assertThat(quiet.lastProbability()).isLessThan(0.1f);
        }
    }
}
