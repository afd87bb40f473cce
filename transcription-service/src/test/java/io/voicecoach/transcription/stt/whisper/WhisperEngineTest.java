package io.voicecoach.transcription.stt.whisper;

import io.voicecoach.transcription.stt.RecognitionRequest;
import io.voicecoach.transcription.stt.Speech;
import io.voicecoach.transcription.stt.SttConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The whisper engine's start-up checks, and real speech when a ggml model is given. */
class WhisperEngineTest {

    @TempDir
    Path dir;

    @Test
    void withoutAModelTheEngineIsDisabledAndLoadsNothing() {
        var engine = new WhisperEngine(config(null));
        assertThat(engine.enabled()).isFalse();
    }

    @Test
    void aMissingModelFileStopsTheStartSayingWhich() {
        String missing = dir.resolve("ggml-base.en.bin").toString();
        assertThatThrownBy(() -> new WhisperEngine(config(missing)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("voicecoach.stt.whisper.model: " + missing + " does not exist");
    }

    @Test
    void aFileThatIsNotAModelStopsTheStart() throws Exception {
        Path garbage = dir.resolve("garbage.bin");
        byte[] bytes = new byte[200_000];
        new Random(7).nextBytes(bytes);
        bytes[0] = 'x'; // random bytes that happen to start with the magic would be a different test
        Files.write(garbage, bytes);

        assertThatThrownBy(() -> new WhisperEngine(config(garbage.toString())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(garbage + " is not a whisper.cpp ggml model");
    }

    @Test
    void aModelWithADamagedHeaderStopsTheStartBeforeWhisperCppReadsIt() throws Exception {
        // whisper.cpp itself would abort the JVM on this file (std::length_error on the vocabulary size)
        Path corrupt = dir.resolve("corrupt.bin");
        var header = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN).putInt(WhisperModelFile.GGML_MAGIC);
        int[] hparams = {51864, 1500, 384, 6, 4, 448, 384, 6, 4, 80, 1};
        for (int value : hparams) {
            header.putInt(value);
        }
        header.putInt(80).putInt(201); // mel filters, then their floats are missing: the file ends
        Files.write(corrupt, header.array());

        assertThatThrownBy(() -> new WhisperEngine(config(corrupt.toString())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(corrupt.toString()).hasMessageContaining("truncated");

        Path absurd = dir.resolve("absurd.bin");
        var bad = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN).putInt(WhisperModelFile.GGML_MAGIC).putInt(-5);
        Files.write(absurd, bad.array());
        assertThatThrownBy(() -> new WhisperEngine(config(absurd.toString())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("corrupt whisper.cpp ggml model: n_vocab = -5");
    }

    @Test
    void transcribesSpeechWithAGivenModel() throws Exception {
        String model = Optional.ofNullable(System.getenv("VOICECOACH_WHISPER_MODEL"))
                .or(() -> Optional.ofNullable(System.getProperty("VOICECOACH_WHISPER_MODEL"))).orElse(null);
        assumeTrue(model != null && !model.isBlank(), "no whisper model: set VOICECOACH_WHISPER_MODEL to a whisper.cpp ggml "
                + "model file (e.g. ggml-tiny.en.bin from huggingface.co/ggerganov/whisper.cpp) to run this test");
        Speech.assumeTools("espeak-ng", "sox");
        var engine = new WhisperEngine(config(model));
        assertThat(engine.enabled()).isTrue();
        byte[] pcm = Speech.pcm("what is the price of the annual contract");

        long start = System.nanoTime();
        try (var recognizer = engine.open(new RecognitionRequest("acme", "sess_w", "customer", "item_w", "en-US", List.of("Acme Cloud")))) {
            for (int from = 0; from < pcm.length; from += 5120) {
                recognizer.accept(java.util.Arrays.copyOfRange(pcm, from, Math.min(pcm.length, from + 5120)));
            }
            var result = recognizer.finish();
            double rtf = (System.nanoTime() - start) / 1e6 / (pcm.length / 32.0);
            System.out.printf("whisper (%s): [%s] RTF %.2f%n", model, result.text(), rtf);
            assertThat(result.text().toLowerCase(Locale.ROOT)).contains("price").contains("contract");
            assertThat(result.words()).isNotEmpty();
        }
    }

    private static SttConfig.Whisper config(String model) {
        return new SttConfig.Whisper() {
            public Optional<String> model() { return Optional.ofNullable(model); }
            public int threads() { return 2; }
            public int maxConcurrent() { return 1; }
        };
    }
}
