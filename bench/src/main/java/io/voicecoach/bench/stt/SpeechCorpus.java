package io.voicecoach.bench.stt;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Synthesises the speech-to-text evaluation corpus from {@code stt/corpus-script.txt}: each line spoken by espeak-ng
 * in one of several voices and speeds, converted by sox to 16 kHz PCM16 mono WAV (the pipeline's canonical format),
 * every third one mixed with pink noise at 20, 10 or 5 dB SNR. Writes {@code <id>.wav} files and
 * {@code manifest.tsv} (id, group, voice, words per minute, noise, milliseconds, reference text) into the output
 * folder ({@code -Dcorpus.dir}, default {@code bench/corpus}, git-ignored). Repeatable: sox runs with {@code -R}.
 */
public final class SpeechCorpus {

    static final List<String> VOICES = List.of("en-us", "en-us+f2", "en+m3", "en-gb");
    static final List<Integer> SPEEDS = List.of(150, 175, 135);
    static final List<Integer> SNRS_DB = List.of(20, 10, 5);
    static final String MANIFEST = "manifest.tsv";

    public static void main(String[] args) throws IOException {
        for (String tool : List.of("espeak-ng", "sox")) {
            if (!Tools.onPath(tool)) {
                System.err.println(tool + " is not installed: apt-get install espeak-ng sox");
                System.exit(2);
            }
        }
        Path dir = Path.of(System.getProperty("corpus.dir", defaultDir().toString())).toAbsolutePath();
        Files.createDirectories(dir);
        var script = script();
        var manifest = new ArrayList<String>();
        manifest.add("id\tgroup\tvoice\twpm\tnoise\tms\ttext");
        long totalMs = 0;
        for (int i = 0; i < script.size(); i++) {
            var line = script.get(i);
            String id = "u%03d".formatted(i + 1);
            String voice = VOICES.get(i % VOICES.size());
            int wpm = SPEEDS.get(i / VOICES.size() % SPEEDS.size());
            Integer snr = i % 3 == 2 ? SNRS_DB.get(i / 3 % SNRS_DB.size()) : null;
            Path wav = dir.resolve(id + ".wav");
            synthesise(line[1], voice, wpm, snr, wav, dir);
            long ms = Tools.wavSamples(wav).length / 32;
            totalMs += ms;
            manifest.add(String.join("\t", id, line[0], voice, Integer.toString(wpm),
                    snr == null ? "clean" : "pink" + snr + "dB", Long.toString(ms), line[1]));
            System.out.printf("%s %-9s %-8s %3d wpm %-9s %5d ms  %s%n", id, line[0], voice, wpm,
                    snr == null ? "clean" : snr + " dB SNR", ms, line[1]);
        }
        Files.write(dir.resolve(MANIFEST), manifest, StandardCharsets.UTF_8);
        System.out.printf("%d utterances, %.1f s of audio, in %s%n", script.size(), totalMs / 1000.0, dir);
    }

    private static void synthesise(String text, String voice, int wpm, Integer snrDb, Path out, Path dir)
            throws IOException {
        Path raw = Files.createTempFile(dir, "espeak", ".wav");
        Path clean = Files.createTempFile(dir, "clean", ".wav");
        Path noise = Files.createTempFile(dir, "noise", ".wav");
        try {
            Tools.run(List.of("espeak-ng", "-v", voice, "-s", Integer.toString(wpm), "-w", raw.toString(), text));
            Tools.run(List.of("sox", "-R", raw.toString(), "-r", "16000", "-c", "1", "-b", "16", "-e",
                    "signed-integer", clean.toString()));
            if (snrDb == null) {
                Files.move(clean, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                return;
            }
            double seconds = Tools.wavSamples(clean).length / 32000.0;
            Tools.run(List.of("sox", "-R", "-n", "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer",
                    noise.toString(), "synth", String.format(Locale.ROOT, "%.3f", seconds), "pinknoise"));
            // SNR over the whole clip: speech RMS / noise RMS after scaling the noise
            double gain = rms(clean) / (rms(noise) * Math.pow(10, snrDb / 20.0));
            Tools.run(List.of("sox", "-R", "-m", "-v", "1", clean.toString(), "-v",
                    String.format(Locale.ROOT, "%.6f", gain), noise.toString(), out.toString()));
        } finally {
            Files.deleteIfExists(raw);
            Files.deleteIfExists(clean);
            Files.deleteIfExists(noise);
        }
    }

    /** RMS amplitude (0..1) as {@code sox <file> -n stat} reports it. */
    private static double rms(Path wav) {
        for (String line : Tools.run(List.of("sox", wav.toString(), "-n", "stat")).split("\n")) {
            if (line.startsWith("RMS     amplitude:")) {
                return Double.parseDouble(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        throw new IllegalStateException("sox stat gave no RMS amplitude for " + wav);
    }

    /** Non-comment lines of the script as {group, text}. */
    static List<String[]> script() throws IOException {
        try (var in = SpeechCorpus.class.getResourceAsStream("/stt/corpus-script.txt")) {
            var lines = new BufferedReader(new InputStreamReader(Objects.requireNonNull(in, "stt/corpus-script.txt"),
                    StandardCharsets.UTF_8)).lines()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            return lines.stream().map(l -> l.split("\\|", 2)).toList();
        }
    }

    /** {@code bench/corpus} of the repository when run from its root or from bench, else {@code ./corpus}. */
    static Path defaultDir() {
        Path here = Path.of("").toAbsolutePath();
        if (Files.isDirectory(here.resolve("bench/src"))) {
            return here.resolve("bench/corpus");
        }
        return here.resolve("corpus");
    }

    private SpeechCorpus() {
    }
}
