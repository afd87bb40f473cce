package io.voicecoach.coaching.session;

import io.voicecoach.events.Topics;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topic lists in application.properties are what deploy/ grants and scales on (DeployManifestsTest reads them):
 * they must be exactly the topology's sources and sinks.
 */
class SessionTopologyTest {

    @Test
    void thePropertiesNameExactlyTheTopologysSourcesAndSinks() throws IOException {
        var properties = new Properties();
        try (var in = SessionTopologyTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        var sinks = new ArrayList<>(SessionTopology.OUTPUTS);
        SessionTopology.INPUTS.forEach(topic -> sinks.add(Topics.deadLetter(topic)));

        assertThat(list(properties.getProperty("quarkus.kafka-streams.topics")))
                .containsExactlyInAnyOrderElementsOf(SessionTopology.INPUTS);
        assertThat(list(properties.getProperty("voicecoach.streams.sink-topics"))).containsExactlyInAnyOrderElementsOf(sinks);
    }

    private static List<String> list(String value) {
        assertThat(value).isNotBlank();
        return List.of(value.split(","));
    }
}
