package io.voicecoach.bench.coaching;

import io.voicecoach.bench.Summary;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Prints what {@link SuggestionHopBench} measured. */
final class Report {

    record Run(int rate, int sessions, int warmup, int seconds, List<String> options, String loadBefore,
               String loadAfter, long serviceCpuMs, long unprocessed, Path serviceLog) {
    }

    static void print(Run run, Map<String, SuggestionHopBench.Sent> sent, SuggestionReader reader,
                      List<HopStats.Sample> samples) {
        var published = new TreeMap<String, Integer>();
        sent.values().stream().filter(SuggestionHopBench.Sent::measured)
                .forEach(s -> published.merge(s.intended(), 1, Integer::sum));
        int measured = published.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println();
        System.out.printf("transcripts published: %d (%d measured, by intended line: %s)%n", sent.size(), measured,
                published);
        System.out.printf("transcripts not yet processed by coaching-service at the end: %d%n", run.unprocessed());
        System.out.printf("events received on coach.suggestions (whole run): %s%n", new TreeMap<>(reader.types()));
        System.out.printf("measured suggestions, intended line -> kind: %s%n", reader.intendedToKind());
        System.out.println();
        HopStats.print("hop by kind, ms (suggestion occurredAt - transcriptAt | bench receipt - before produce):",
                samples, HopStats.Sample::kind);
        HopStats.print("hop by kind/source, ms:", samples, s -> s.kind() + "/" + s.source());
        HopStats.print("hop by 10-second window of sending, ms (a growing p50 is a backlog):", samples,
                s -> String.format("%03d-%03d s", s.window() * 10, s.window() * 10 + 9));
        var cards = reader.cardMillis();
        if (!cards.isEmpty()) {
            var card = Summary.of(cards);
            System.out.printf("battle card follow-up (card occurredAt - transcriptAt), ms: n %d, p50 %.1f, p95 %.1f, "
                    + "p99 %.1f, max %.1f%n", card.count(), card.p50(), card.p95(), card.p99(), card.max());
        }
        System.out.println();
        double cpuSeconds = run.serviceCpuMs() / 1e3;
        System.out.printf("coaching-service CPU while sending the measured transcripts: %.1f s = %.2f cores, "
                + "%.2f ms per transcript%n", cpuSeconds, cpuSeconds / run.seconds(),
                (double) run.serviceCpuMs() / ((long) run.rate() * run.seconds()));
        System.out.printf("load average before: %s, after: %s (1, 5, 15 min)%n", run.loadBefore(), run.loadAfter());
        System.out.println("service log: " + run.serviceLog());
    }

    private Report() {
    }
}
