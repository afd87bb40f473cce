package io.voicecoach.bench.load;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.GraphicsEnvironment;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ScalingChartTest {

    private static LevelResult level(int calls, double p50, double p95, double p99, double gatewayCores) {
        var e2e = new LevelResult.HopResult("e2e", "client", 100, p50, p95, p99, p99 * 1.2);
        return new LevelResult(calls, "coach-text", 2, "2026-12-06T10:00:00Z", 60, calls, calls, calls, 0, 0,
                calls * 20, calls * 1200L, 0, 0, 0, Map.of(), Map.of(), Map.of(Hop.END_TO_END.name(), e2e),
                new LevelSamples.Detection(0, 0, 0, 0, Map.of()), new LevelSamples.Replies(0, 0, 0, 0, Map.of()),
                Map.of("gateway-service", new LevelResult.ServiceResult(1, gatewayCores, 1, 300)), "1.0", null, null,
                List.of(), null);
    }

    @Test
    void theCurveIsDrawnFromTheLevels() throws Exception {
        assumeTrue(GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames().length > 0,
                "needs a font for the axis labels (fontconfig and e.g. fonts-dejavu-core)");
        var png = Files.createTempDirectory("chart").resolve("curve.png");

        ScalingChart.write(List.of(level(1, 20, 30, 40, 0.05), level(10, 25, 40, 60, 0.3),
                level(100, 60, 200, 900, 1.4)), false, png);

        var image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1100);
        assertThat(image.getHeight()).isEqualTo(820);
        int firstRunColour = new Color(0x1f77b4).getRGB();
        int latencyPixels = 0;
        int cpuPixels = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 81; x < 810; x++) { // inside the plots, left of the legends
                if (image.getRGB(x, y) == firstRunColour) {
                    if (y < 440) {
                        latencyPixels++;
                    } else {
                        cpuPixels++;
                    }
                }
            }
        }
        assertThat(latencyPixels).as("p50/p95/p99 lines of the run").isGreaterThan(500);
        assertThat(cpuPixels).as("the gateway's CPU line").isGreaterThan(200);
    }

    @Test
    void logAxesHaveRoundTicks() {
        var axis = new ScalingChart.Axis(3, 420, true);

        assertThat(axis.min()).isEqualTo(1);
        assertThat(axis.max()).isEqualTo(1000);
        assertThat(axis.ticks()).containsExactly(1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0);
        assertThat(axis.fraction(10)).isEqualTo(1 / 3.0, org.assertj.core.data.Offset.offset(1e-9));
        var linear = new ScalingChart.Axis(0, 1.7, false);
        assertThat(linear.max()).isEqualTo(2.0);
        assertThat(linear.ticks()).containsExactly(0.0, 0.5, 1.0, 1.5, 2.0);
    }
}
