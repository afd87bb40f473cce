package io.voicecoach.bench.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusHistogramTest {

    private static String exposition(int fast, int medium, int slow) {
        return """
                # TYPE voicecoach_gateway_audio_publish_seconds histogram
                voicecoach_gateway_audio_publish_seconds_bucket{le="0.001",} %d.0
                voicecoach_gateway_audio_publish_seconds_bucket{le="0.01",} %d.0
                voicecoach_gateway_audio_publish_seconds_bucket{le="0.1",} %d.0
                voicecoach_gateway_audio_publish_seconds_bucket{le="+Inf",} %d.0
                voicecoach_gateway_audio_publish_seconds_count %d.0
                voicecoach_gateway_other_seconds_bucket{le="0.001",} 99.0
                """.formatted(fast, fast + medium, fast + medium + slow, fast + medium + slow, fast + medium + slow);
    }

    @Test
    void theDifferenceOfTwoReadingsIsWhatHappenedBetweenThem() {
        var before = PrometheusHistogram.parse(exposition(10, 0, 0), LevelRun.AUDIO_PUBLISH);
        var after = PrometheusHistogram.parse(exposition(10 + 50, 45, 5), LevelRun.AUDIO_PUBLISH);

        var window = after.minus(before);

        assertThat(window.count()).isEqualTo(100);
        assertThat(window.quantile(0.50)).isEqualTo(0.001);
        assertThat(window.quantile(0.95)).isEqualTo(0.01);
        assertThat(window.quantile(0.99)).isEqualTo(0.1);
    }

    @Test
    void instancesAddUpAndOtherMetricsAreIgnored() {
        var one = PrometheusHistogram.parse(exposition(1, 1, 0), LevelRun.AUDIO_PUBLISH);
        var two = PrometheusHistogram.parse(exposition(0, 0, 2), LevelRun.AUDIO_PUBLISH);

        var both = one.plus(two);

        assertThat(both.count()).isEqualTo(4);
        assertThat(both.buckets().get(0.001)).isEqualTo(1);
        assertThat(both.quantile(0.75)).isEqualTo(0.1);
        assertThat(PrometheusHistogram.parse("", LevelRun.AUDIO_PUBLISH).quantile(0.5)).isNaN();
    }
}
