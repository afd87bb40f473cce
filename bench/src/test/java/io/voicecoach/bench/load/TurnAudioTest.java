package io.voicecoach.bench.load;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TurnAudioTest {

    /** {@code silenceMs} of silence, {@code toneMs} of a 440 Hz tone at -6 dBFS, then {@code afterMs} of silence. */
    private static byte[] pcm(int silenceMs, int toneMs, int afterMs) {
        int rate = SpeechCache.RATE;
        int total = (silenceMs + toneMs + afterMs) * rate / 1000;
        var out = new byte[total * 2];
        for (int i = silenceMs * rate / 1000; i < (silenceMs + toneMs) * rate / 1000; i++) {
            short sample = (short) (16384 * Math.sin(2 * Math.PI * 440 * i / rate));
            out[2 * i] = (byte) sample;
            out[2 * i + 1] = (byte) (sample >> 8);
        }
        return out;
    }

    @Test
    void framesCoverTheTurnAndKnowWhereTheSpeechIs() {
        var audio = TurnAudio.of(pcm(200, 540, 310), Script.CUSTOMER);

        assertThat(audio.frameCount()).as("1,050 ms in 100 ms frames, the last padded").isEqualTo(11);
        assertThat(audio.speechStartMs()).isEqualTo(200);
        assertThat(audio.speechEndMs()).isEqualTo(740);
        for (String frame : audio.frames()) {
            assertThat(frame).startsWith("{\"type\":\"input_audio_buffer.append\",\"audio\":\"")
                    .endsWith("\"voicecoach\":{\"track\":\"customer\"}}");
        }
        String last = audio.frames().getLast();
        String base64 = last.substring(last.indexOf("\"audio\":\"") + 9, last.indexOf("\",\"voicecoach\""));
        assertThat(Base64.getDecoder().decode(base64)).hasSize(AppendFrames.FRAME_BYTES);
    }

    @Test
    void silenceHasNoSpeech() {
        assertThat(AppendFrames.speechExtent(new short[SpeechCache.RATE], SpeechCache.RATE)).containsExactly(-1, -1);
        assertThat(AppendFrames.silence(Script.AGENT)).contains("\"track\":\"agent\"");
    }

    @Test
    void speechIsMadeOnceAndThenReadFromTheCache() throws Exception {
        assumeTrue(SpeechCache.missingTools().isEmpty(), "needs " + SpeechCache.missingTools() + ": "
                + SpeechCache.INSTALL);
        var dir = Files.createTempDirectory("speech-cache");
        var cache = new SpeechCache(dir);

        byte[] first = cache.pcm("en-us", 160, "the price is too high");
        Path file = dir.resolve(SpeechCache.key("en-us", 160, "the price is too high") + ".pcm");
        var made = Files.getLastModifiedTime(file);
        byte[] again = cache.pcm("en-us", 160, "the price is too high");

        assertThat(first.length).as("about a second of 24 kHz PCM16").isBetween(24_000, 240_000);
        assertThat(again).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(made);
        try (var files = Files.list(dir)) {
            assertThat(files).as("no temporary files left").containsExactly(file);
        }
        assertThat(SpeechCache.key("en-us+f2", 160, "the price is too high"))
                .isNotEqualTo(SpeechCache.key("en-us", 160, "the price is too high"));
    }
}
