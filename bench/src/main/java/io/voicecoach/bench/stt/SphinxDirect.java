package io.voicecoach.bench.stt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Diagnosis aid: runs {@code pocketsphinx_continuous} directly on the corpus (no Kafka, no service), one process
 * per utterance fed raw PCM on stdin like the engine does, with the general en-US language model (or
 * {@code -Dsphinx.lm}) and extra decoder options ({@code -Dsphinx.options="-lw 10 -dither yes"}), and prints the
 * WER overall and per voice and noise. Separates what the acoustic model does from what the language model does.
 */
public final class SphinxDirect {

    public static void main(String[] args) throws Exception {
        String model = System.getProperty("sphinx.model-dir", "/usr/share/pocketsphinx/model/en-us");
        String lm = System.getProperty("sphinx.lm", model + "/en-us.lm.bin");
        var options = Arrays.stream(System.getProperty("sphinx.options", "").trim().split("\\s+"))
                .filter(s -> !s.isEmpty()).toList();
        var corpus = SttEval.readCorpus(Path.of(System.getProperty("eval.corpus", SpeechCorpus.defaultDir().toString())));
        var command = new ArrayList<>(List.of("pocketsphinx_continuous", "-infile", "/dev/stdin",
                "-hmm", model + "/en-us", "-lm", lm, "-dict", model + "/cmudict-en-us.dict", "-logfn", "/dev/null"));
        command.addAll(options);
        System.out.printf("%d utterances, lm %s, options %s, load average %s%n", corpus.size(), lm, options,
                SttEval.loadAverage());
        var total = Wer.ZERO;
        Map<String, Wer> byVoice = new TreeMap<>();
        Map<String, Wer> byNoise = new TreeMap<>();
        long audioMs = 0;
        long started = System.nanoTime();
        for (var u : corpus) {
            String hypothesis = decode(command, u.pcm());
            var wer = Wer.of(u.text(), hypothesis);
            total = total.plus(wer);
            byVoice.merge(u.voice(), wer, Wer::plus);
            byNoise.merge(u.noise(), wer, Wer::plus);
            audioMs += u.ms();
            if (Boolean.getBoolean("eval.verbose")) {
                System.out.printf("%s %5.1f%%  %s  =>  %s%n", u.id(), 100 * wer.rate(), u.text(), hypothesis);
            }
        }
        double wallRtf = (System.nanoTime() - started) / 1e6 / audioMs;
        System.out.printf("WER %.1f%% (S %d, D %d, I %d of %d words), wall RTF %.2f (one at a time, process start"
                        + " included), load average %s%n", 100 * total.rate(), total.substitutions(), total.deletions(),
                total.insertions(), total.referenceWords(), wallRtf, SttEval.loadAverage());
        byVoice.forEach((v, w) -> System.out.printf("  voice %-9s %.1f%%%n", v, 100 * w.rate()));
        byNoise.forEach((n, w) -> System.out.printf("  noise %-9s %.1f%%%n", n, 100 * w.rate()));
    }

    private static String decode(List<String> command, byte[] pcm) throws IOException, InterruptedException {
        var process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (var in = process.getOutputStream()) {
            in.write(pcm);
        }
        var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return String.join(" ", out.strip().lines().map(String::strip).toList());
    }

    private SphinxDirect() {
    }
}
