package io.voicecoach.bench.load;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CapacityModelTest {

    private static LevelResult level(int calls, double gateway, double transcription, int audioRecords, String bound) {
        var audio = new LevelResult.HopResult("frame -> Kafka", "histogram", audioRecords, 3, 6, 9, Double.NaN);
        return new LevelResult(calls, "coach-speech", 2, "2026-12-06T10:00:00Z", 100, calls, calls, calls, 0, 0,
                calls * 20, 0, 0, 0, 0, Map.of(), Map.of(), Map.of(Hop.FRAME_TO_KAFKA.name(), audio),
                new LevelSamples.Detection(0, 0, 0, 0, Map.of()), new LevelSamples.Replies(0, 0, 0, 0, Map.of()),
                Map.of("gateway-service", new LevelResult.ServiceResult(1, gateway, 0, 300),
                        "transcription-service", new LevelResult.ServiceResult(1, transcription, 0, 300),
                        ProcessTable.LOAD_GENERATOR, new LevelResult.ServiceResult(1, 0.5, 0, 200)),
                "1.0", null, null, List.of(), bound);
    }

    @Test
    void theCostOfACallIsTheSlopeOverTheLevelsThatHeld() {
        var model = CapacityModel.of(List.of(
                level(1, 0.06, 0.21, 500, null),
                level(5, 0.10, 1.01, 2_500, null),
                level(10, 0.15, 2.01, 5_000, null),
                level(20, 0.90, 2.00, 6_000, "end-to-end p95 9000 ms > 5000 ms")), 10_000, 2, 0.65, 48);

        var gateway = model.services().get("gateway-service");
        assertThat(gateway.coresPerCall()).isCloseTo(0.01, within(1e-9));
        assertThat(gateway.fixedCores()).isCloseTo(0.05, within(1e-9));
        assertThat(gateway.cores()).isCloseTo(100.05, within(1e-6));
        assertThat(gateway.pods()).as("100.05 cores / 1.3 usable per pod").isEqualTo(77);
        assertThat(gateway.morePodsThanPartitions()).isTrue();
        var transcription = model.services().get("transcription-service");
        assertThat(transcription.coresPerCall()).isCloseTo(0.2, within(1e-9));
        assertThat(transcription.pods()).isEqualTo(1_539);
        assertThat(model.services()).doesNotContainKey(ProcessTable.LOAD_GENERATOR);
        assertThat(model.audioRecordsPerCallSecond()).isCloseTo(5.0, within(1e-9));
        assertThat(model.audioMegabytesPerSecond()).isCloseTo(50_000 * 6_700 / 1e6, within(1e-6));
    }

    @Test
    void oneLevelShowsNoCostPerCallAndSmallDeploymentsFitTheirPartitions() {
        var one = List.of(level(50, 0.5, 10, 25_000, null));
        assertThat(CapacityModel.fits(one)).isFalse();
        assertThat(CapacityModel.fit(List.of(new double[] {50, 0.5}))).containsExactly(0.5, 0);
        assertThat(CapacityModel.fit(List.of())).containsExactly(0, 0);

        var model = CapacityModel.of(List.of(level(10, 0.05, 1, 0, null), level(50, 0.45, 5, 0, null)), 100, 2,
                0.65, 48);
        assertThat(CapacityModel.fits(List.of(level(10, 0, 0, 0, null), level(50, 0, 0, 0, null)))).isTrue();
        assertThat(model.services().get("gateway-service").coresPerCall()).isCloseTo(0.01, within(1e-12));
        assertThat(model.services().get("gateway-service").pods()).isEqualTo(1);
        assertThat(model.services().get("gateway-service").morePodsThanPartitions()).isFalse();
        assertThat(model.services().get("transcription-service").pods()).as("10 cores / 1.3").isEqualTo(8);
    }

    @Test
    void cpuFallingWithMoreCallsIsNoiseNotANegativeCost() {
        var model = CapacityModel.of(List.of(level(5, 0.08, 0.01, 0, null), level(20, 0.06, 0.01, 0, null)),
                10_000, 2, 0.65, 48);

        var gateway = model.services().get("gateway-service");
        assertThat(gateway.coresPerCall()).isZero();
        assertThat(gateway.cores()).isCloseTo(0.07, within(1e-9));
        assertThat(gateway.pods()).isEqualTo(1);
    }
}
