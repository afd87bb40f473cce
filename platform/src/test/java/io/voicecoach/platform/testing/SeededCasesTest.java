package io.voicecoach.platform.testing;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeededCasesTest {

    @Test
    void aSeedDrawsTheSameInputsInEveryRunAndDifferentOnesInEveryCase() {
        var first = new ArrayList<Long>();
        var second = new ArrayList<Long>();
        SeededCases.run(7, 200, random -> first.add(random.nextLong()));
        SeededCases.run(7, 200, random -> second.add(random.nextLong()));

        assertThat(first).hasSize(200).isEqualTo(second);
        assertThat(new HashSet<>(first)).hasSize(200);
    }

    @Test
    void aFailureNamesItsSeedAndCaseAndReplayDrawsTheSameInput() {
        List<Long> drawn = new ArrayList<>();
        assertThatThrownBy(() -> SeededCases.run(42, 100, random -> {
            drawn.add(random.nextLong());
            if (drawn.size() == 13) {
                throw new IllegalStateException("boom");
            }
        })).isInstanceOf(AssertionError.class)
                .hasMessageContaining("seed 42, case 12")
                .hasMessageContaining("boom")
                .hasCauseInstanceOf(IllegalStateException.class);

        var replayed = new ArrayList<Long>();
        SeededCases.replay(42, 12, random -> replayed.add(random.nextLong()));
        assertThat(replayed).containsExactly(drawn.get(12));
    }

    @Test
    void textStaysWithinItsLength() {
        SeededCases.run(3, 500, random -> {
            assertThat(SeededCases.text(random, 40)).hasSizeLessThanOrEqualTo(40);
            assertThat(SeededCases.text(random, "ab", 2, 5)).hasSizeBetween(2, 5).matches("[ab]*");
            assertThat(SeededCases.bytes(random, 10)).hasSizeLessThanOrEqualTo(10);
        });
    }
}
