package io.voicecoach.devstack;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

class SampleCallScriptTest {

    @Test
    void theScriptHasFifteenTurnsAndSixExpectedSuggestionsOnCustomerTurns() {
        var turns = SampleCall.turns();

        assertThat(turns).hasSize(15);
        assertThat(turns).extracting(SampleCall.Turn::turn).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                13, 14, 15);
        assertThat(turns).allSatisfy(t -> assertThat(t.track()).isEqualTo(t.turn() % 2 == 1 ? "agent" : "customer"));
        assertThat(turns.stream().map(SampleCall.Turn::expect).filter(Objects::nonNull).map(SampleCall.Expected::category))
                .containsExactly("price", "competitor", "authority", "timing", "need", "buying_signal");
        assertThat(turns.get(1).expect()).as("turn 2 is small talk").isNull();
        assertThat(turns.get(3).text()).isEqualTo("Honestly the price is too high for us this quarter.");
    }

    @Test
    void latenciesUseNearestRank() {
        var latencies = SampleCall.Latencies.of(List.of(90L, 10L, 40L, 30L, 20L, 50L));

        assertThat(latencies).isEqualTo(new SampleCall.Latencies(30, 90, 90, 6));
        assertThat(SampleCall.Latencies.of(List.of()).count()).isZero();
    }
}
