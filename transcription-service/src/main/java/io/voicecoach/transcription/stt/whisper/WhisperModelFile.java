package io.voicecoach.transcription.stt.whisper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Checks that a file is a whisper.cpp ggml model before whisper.cpp reads it: whisper.cpp trusts the header's sizes,
 * and a file with the right magic but a damaged header aborts the whole JVM ({@code std::length_error}) instead of
 * failing. Layout: magic {@code ggml}, 11 int32 hyper-parameters, the mel filter bank, the vocabulary.
 */
final class WhisperModelFile {

    static final int GGML_MAGIC = 0x67676d6c;
    private static final String[] HPARAMS = {"n_vocab", "n_audio_ctx", "n_audio_state", "n_audio_head", "n_audio_layer",
            "n_text_ctx", "n_text_state", "n_text_head", "n_text_layer", "n_mels", "ftype"};
    private static final int[] MAX = {200_000, 8192, 16384, 256, 256, 8192, 16384, 256, 256, 256, 9999};

    /** @throws IllegalArgumentException saying what is wrong with the file */
    static void check(Path model) {
        if (!Files.exists(model)) {
            throw new IllegalArgumentException(model + " does not exist");
        }
        if (!Files.isRegularFile(model) || !Files.isReadable(model)) {
            throw new IllegalArgumentException(model + " is not a readable file");
        }
        try (var file = FileChannel.open(model, StandardOpenOption.READ)) {
            long size = file.size();
            var header = read(model, file, 0, 4 + 4 * HPARAMS.length + 8, size);
            if (header.getInt() != GGML_MAGIC) {
                throw new IllegalArgumentException(model + " is not a whisper.cpp ggml model (no 'ggml' magic)");
            }
            int[] hparams = new int[HPARAMS.length];
            for (int i = 0; i < HPARAMS.length; i++) {
                hparams[i] = header.getInt();
                int min = i == HPARAMS.length - 1 ? 0 : 1;
                if (hparams[i] < min || hparams[i] > MAX[i]) {
                    throw corrupt(model, HPARAMS[i] + " = " + hparams[i]);
                }
            }
            int nMel = header.getInt();
            int nFft = header.getInt();
            if (nMel != hparams[9] || nFft < 1 || nFft > 4096) {
                throw corrupt(model, "mel filters " + nMel + " x " + nFft);
            }
            long position = 4 + 4L * HPARAMS.length + 8 + 4L * nMel * nFft;
            int tokens = read(model, file, position, 4, size).getInt();
            if (tokens < 1 || tokens > hparams[0]) {
                throw corrupt(model, "vocabulary of " + tokens + " tokens");
            }
            position += 4;
            for (int i = 0; i < tokens; i++) {
                int length = read(model, file, position, 4, size).getInt();
                if (length < 0 || length > 1024) {
                    throw corrupt(model, "token " + i + " of length " + length);
                }
                position += 4 + length;
            }
            if (position >= size) {
                throw corrupt(model, "no tensors after the vocabulary");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + model + ": " + e.getMessage(), e);
        }
    }

    private static ByteBuffer read(Path model, FileChannel file, long position, int length, long size) throws IOException {
        if (position + length > size) {
            throw new IllegalArgumentException(model + " ends after " + size
                    + " bytes, inside its header: truncated or not a whisper.cpp ggml model");
        }
        var buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (file.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
        return buffer.flip();
    }

    private static IllegalArgumentException corrupt(Path model, String what) {
        return new IllegalArgumentException(model + " is a corrupt whisper.cpp ggml model: " + what);
    }

    private WhisperModelFile() {
    }
}
