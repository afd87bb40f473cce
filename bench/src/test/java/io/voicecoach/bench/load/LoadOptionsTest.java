package io.voicecoach.bench.load;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadOptionsTest {

    @Test
    void aLocalGatewayGetsTheLocalKafkaAndAnalyticsOnTheLaunchersPorts() {
        var options = LoadOptions.parse(new String[] {"--calls", "1,10,50"},
                Map.of("VOICECOACH_GATEWAY_PORT", "18080", "VOICECOACH_KAFKA_PORT", "19092",
                        "VOICECOACH_ANALYTICS_PORT", "18084"));

        assertThat(options.realtimeUrl()).isEqualTo(URI.create("ws://localhost:18080/v1/realtime"));
        assertThat(options.kafka()).contains("localhost:19092");
        assertThat(options.analytics()).contains(URI.create("http://localhost:18084"));
        assertThat(options.levels()).containsExactly(1, 10, 50);
        assertThat(options.mode()).isEqualTo(LoadOptions.Mode.COACH);
        assertThat(options.input()).isEqualTo(LoadOptions.Input.SPEECH);
        assertThat(options.legs()).isEqualTo(2);
        assertThat(options.apiKey()).isEqualTo(LoadOptions.DEMO_API_KEY);
        assertThat(options.maxP95Ms()).isEqualTo(5000);
        assertThat(options.json().toString()).contains("bench/target/load/coach-speech-").endsWith(".json");
    }

    @Test
    void aRemoteGatewayIsMeasuredFromTheClientOnly() {
        var options = LoadOptions.parse(new String[] {"--url=https://voice.example.com/", "--api-key", "vc_live_x",
                "--input", "text"}, Map.of());

        assertThat(options.realtimeUrl()).isEqualTo(URI.create("wss://voice.example.com/v1/realtime"));
        assertThat(options.kafka()).isEmpty();
        assertThat(options.analytics()).isEmpty();
        assertThat(options.apiKey()).isEqualTo("vc_live_x");
        assertThat(options.maxP95Ms()).as("typed turns have the tighter default bound").isEqualTo(500);
    }

    @Test
    void theVoiceAgentUsesOneLegAndTheSuiteOptionsAreSplit() {
        var options = LoadOptions.parse(new String[] {"--mode", "agent", "--legs", "2", "--start-suite",
                "--suite-args", "--replicas 2  --llm", "--kafka", "none", "--steady-s", "1.5"}, Map.of());

        assertThat(options.legs()).isEqualTo(1);
        assertThat(options.startSuite()).isTrue();
        assertThat(options.suiteArgs()).isEqualTo(List.of("--replicas", "2", "--llm"));
        assertThat(options.kafka()).isEqualTo(Optional.empty());
        assertThat(options.steady().toMillis()).isEqualTo(1500);
        assertThat(options.label()).isEqualTo("agent-speech");
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--calls", "ten"}, Map.of()))
                .hasMessageContaining("--calls");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--calls", "0"}, Map.of()))
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--mode", "sing"}, Map.of()))
                .hasMessageContaining("--mode must be one of [coach, agent]");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--colour", "red"}, Map.of()))
                .hasMessageContaining("unknown option --colour");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--legs", "3"}, Map.of()))
                .hasMessageContaining("--legs must be 1 or 2");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--url", "ftp://x"}, Map.of()))
                .hasMessageContaining("--url");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--steady-s"}, Map.of()))
                .hasMessageContaining("needs a value");
    }
}
