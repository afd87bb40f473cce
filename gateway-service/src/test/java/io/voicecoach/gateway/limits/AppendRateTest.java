package io.voicecoach.gateway.limits;

import io.voicecoach.gateway.audio.InputAudioFormat;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class AppendRateTest {

    @Test
    void audioBeyondTheBurstIsRefusedWithoutTakingFromTheBudget() {
        // 1 ms of audio per second of refill: nothing comes back within the test, however slow the machine
        var rate = new AppendRate(100, 0.001, Duration.ofSeconds(30));
        assertThat(rate.tryAcquireAudio(10_000)).isTrue();
        assertThat(rate.tryAcquireAudio(10_000)).isTrue();
        assertThat(rate.tryAcquireAudio(15_000)).as("20 s of 30 s used: 15 s more do not fit").isFalse();
        assertThat(rate.tryAcquireAudio(10_000)).as("the refused append took nothing").isTrue();
        assertThat(rate.tryAcquireAudio(100)).isFalse();
    }

    @Test
    void theAudioBudgetRefillsAtTheRateRelativeToRealTime() throws InterruptedException {
        var rate = new AppendRate(100, 100, Duration.ofMillis(1_000)); // 100 ms of audio per ms
        assertThat(rate.tryAcquireAudio(1_000)).isTrue();
        assertThat(rate.tryAcquireAudio(1_000)).isFalse();
        Thread.sleep(20); // at least 2 s of audio refilled, capped at the 1 s burst
        assertThat(rate.tryAcquireAudio(1_000)).isTrue();
    }

    @Test
    void noAudioRateMeansOnlyTheAppendCountIsBounded() {
        var rate = new AppendRate(2);
        assertThat(rate.tryAcquireAudio(Long.MAX_VALUE / 2)).isTrue();
        assertThat(rate.tryAcquire()).isTrue();
        assertThat(rate.tryAcquire()).isTrue();
        assertThat(rate.tryAcquire()).isFalse();
    }

    @Test
    void anAppendsAudioLengthFollowsItsFormat() {
        assertThat(InputAudioFormat.DEFAULT.millisOf(48_000)).as("24 kHz PCM16").isEqualTo(1_000);
        assertThat(new InputAudioFormat(InputAudioFormat.PCM, 16_000).millisOf(32_001)).as("rounded up")
                .isEqualTo(1_001);
        assertThat(InputAudioFormat.MULAW_8K.millisOf(8_000)).as("G.711, a byte a sample").isEqualTo(1_000);
    }
}
