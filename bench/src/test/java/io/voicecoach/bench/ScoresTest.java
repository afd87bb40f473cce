package io.voicecoach.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ScoresTest {

    @Test
    void countsAWrongCategoryAgainstBothCategories() {
        var scores = new Scores();
        scores.add("price", "price");
        scores.add("price", "price");
        scores.add("price", "timing");
        scores.add("timing", "timing");
        scores.add("none", "price");
        scores.add("timing", "none");

        var price = scores.of("price");
        assertThat(price).isEqualTo(new Scores.Counts(2, 1, 1));
        assertThat(price.precision()).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(price.recall()).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(price.f1()).isCloseTo(2.0 / 3, within(1e-9));

        var timing = scores.of("timing");
        assertThat(timing).isEqualTo(new Scores.Counts(1, 1, 1));
        assertThat(timing.f1()).isCloseTo(0.5, within(1e-9));
        assertThat(scores.macroF1(List.of("price", "timing"))).isCloseTo((2.0 / 3 + 0.5) / 2, within(1e-9));
    }

    @Test
    void zeroDenominatorsGiveZeroNotNaN() {
        var scores = new Scores();
        scores.add("none", "none");

        assertThat(scores.of("trust").f1()).isZero();
        assertThat(scores.of("trust").precision()).isZero();
    }

    @Test
    void falsePositiveRateAndNearestRankPercentile() {
        assertThat(Scores.falsePositiveRate(List.of(true, false, false, false))).isEqualTo(0.25);
        double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(Scores.percentile(sorted, 50)).isEqualTo(5);
        assertThat(Scores.percentile(sorted, 95)).isEqualTo(10);
        assertThat(Scores.percentile(new double[0], 50)).isNaN();
    }

    @Test
    void theBundledSetIsLargeAndCoversEveryCategory() {
        var set = EvalSet.load(EvalSet.DEFAULT);

        assertThat(set).hasSizeGreaterThanOrEqualTo(300);
        assertThat(set).extracting(LabelledUtterance::group)
                .contains("price", "timing", "authority", "need", "competitor", "trust", "status_quo",
                        "buying_signal", "neutral", "hard_negative");
    }
}
