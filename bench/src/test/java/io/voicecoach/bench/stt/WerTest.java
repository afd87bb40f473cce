package io.voicecoach.bench.stt;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WerTest {

    @Test
    void identicalTextAfterNormalisationHasNoErrors() {
        var wer = Wer.of("Honestly, the price is too high!", "honestly the PRICE is too high");
        assertThat(wer).isEqualTo(new Wer(0, 0, 0, 6));
        assertThat(wer.rate()).isZero();
        assertThat(Wer.words("we don't know")).containsExactly("we", "dont", "know");
    }

    @Test
    void countsSubstitutionsDeletionsAndInsertionsOfTheBestAlignment() {
        assertThat(Wer.of("the price is too high", "the prize is too high")).isEqualTo(new Wer(1, 0, 0, 5));
        assertThat(Wer.of("the price is too high", "the price is high")).isEqualTo(new Wer(0, 1, 0, 5));
        assertThat(Wer.of("the price is too high", "uh the price is too high")).isEqualTo(new Wer(0, 0, 1, 5));
        var mixed = Wer.of("we are already working with globex", "we already working with a lobe x");
        assertThat(mixed.errors()).isEqualTo(4);
        assertThat(mixed.rate()).isEqualTo(4 / 6.0);
    }

    @Test
    void anEmptyHypothesisDeletesEveryWordAndSumsAddUp() {
        var empty = Wer.of("can you hear me", "");
        assertThat(empty).isEqualTo(new Wer(0, 4, 0, 4));
        assertThat(empty.plus(Wer.of("hello there", "hello"))).isEqualTo(new Wer(0, 5, 0, 6));
        assertThat(Wer.ZERO.rate()).isNaN();
    }
}
