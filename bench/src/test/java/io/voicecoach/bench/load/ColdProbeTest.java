package io.voicecoach.bench.load;

import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ColdProbeTest {

    @Test
    void oneTypedObjectionOnANewSessionAndItsSuggestion() throws Exception {
        try (var gateway = new FakeGateway()) {
            gateway.react((connection, frame) -> {
                if (frame.path("type").asText().equals("conversation.item.create")) {
                    var suggestion = Leg.JSON.createObjectNode().put("type", "voicecoach.coaching.suggestion");
                    suggestion.putObject("suggestion").put("id", "sug_p")
                            .put("item_id", frame.path("item").path("id").asText()).put("kind", "objection")
                            .put("category", "price").putObject("timings")
                            .put("received_at", "2026-12-06T10:00:00.000Z")
                            .put("transcript_at", "2026-12-06T10:00:00.002Z")
                            .put("suggested_at", "2026-12-06T10:00:00.010Z");
                    connection.send(suggestion);
                }
            });
            var options = LoadOptions.parse(new String[] {"--url", "ws://127.0.0.1:" + gateway.port(),
                    "--api-key", "vc_probe"}, Map.of());
            long ready = System.nanoTime();

            var probe = ColdProbe.run(options, HttpClient.newHttpClient(), "rep_probe", ready);

            assertThat(gateway.connections).singleElement().satisfies(leg -> {
                assertThat(leg.authorization).isEqualTo("Bearer vc_probe");
                assertThat(leg.frames("conversation.item.create")).singleElement().satisfies(item -> assertThat(
                        item.path("item").path("content").get(0).path("text").asText())
                        .isEqualTo("Honestly the price is too high for us this quarter."));
            });
            assertThat(probe.endToEndMs()).isPositive().isLessThan(30_000);
            assertThat(probe.secondsAfterReady()).isPositive();
            assertThat(probe.hopsMs()).containsEntry(Hop.TRANSCRIPT_TO_SUGGESTION.name(), 8.0)
                    .containsEntry(Hop.TEXT_TO_TRANSCRIPT.name(), 2.0);
            assertThat(ColdProbe.describe(probe)).contains("ms from sending it to the suggestion on screen");
        }
    }
}
