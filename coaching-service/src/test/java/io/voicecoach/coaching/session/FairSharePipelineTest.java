package io.voicecoach.coaching.session;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.devstack.KafkaTestClient.TopicReader;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The stream thread's fair share through the real topology: with a share that practically never refills, a tenant's
 * first transcript is classified, and once its share is spent (and another tenant is on the thread) its next one is
 * recorded unclassified (counted, no suggestion) while another tenant's transcript right behind it on the same partition
 * is coached as before.
 */
@QuarkusTest
@TestProfile(FairSharePipelineTest.TinyShare.class)
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "coaching"))
@QuarkusTestResource(GatewayCredentialStub.class)
class FairSharePipelineTest {

    private static final Duration BOUND = Duration.ofSeconds(15);
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final String PRICE = "Honestly the price is too high for us this quarter.";

    /**
     * 1 ms of CPU at once, then a nanosecond a second: classifying one utterance uses a tenant's share for good. Rules
     * only: this profile restarts Quarkus in a new class loader, and the embedding model's native tokenizer, loaded by
     * the tests before it, cannot be loaded a second time in one JVM.
     */
    public static class TinyShare implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("voicecoach.coaching.fair-share.burst", "PT0.001S",
                    "voicecoach.coaching.fair-share.cpu-per-second", "PT0.000000001S",
                    "voicecoach.coaching.embeddings.enabled", "false");
        }
    }

    @Inject
    MeterRegistry meters;

    @Test
    void aTenantBeyondItsShareIsNotClassifiedWhileAnotherTenantOnThePartitionIs() {
        try (var kafka = KafkaTestClient.forSharedBroker(); var suggestions = kafka.read(Topics.SUGGESTIONS)) {
            var first = transcript("greedy", "sess_" + UUID.randomUUID(), PRICE, true);
            kafka.send(Topics.TRANSCRIPTS, first);
            // the first also waits for the Streams application to be running
            assertThat(suggestion(suggestions, first, STARTUP).category()).as("the first one, within the share")
                    .isEqualTo("price");

            // until one of the greedy tenant's is left unclassified (the first may have cost less than the 1 ms burst);
            // each comes right after a partial transcript of another tenant, so the greedy one is not alone on the thread
            double before = unclassified();
            Envelope unclassified = null;
            for (int i = 0; i < 20 && unclassified == null; i++) {
                String session = "sess_" + UUID.randomUUID();
                kafka.send(Topics.TRANSCRIPTS, transcript("bystander", session, "Honestly the", false));
                var greedy = transcript("greedy", session, PRICE, true);
                kafka.send(Topics.TRANSCRIPTS, greedy);
                await().atMost(BOUND).until(() -> unclassified() > before || suggested(suggestions, greedy));
                if (unclassified() > before) {
                    unclassified = greedy;
                }
            }
            assertThat(unclassified).as("a greedy transcript left unclassified").isNotNull();

            // the same session id, so the same partition: processed after the unclassified one
            var modest = transcript("modest", unclassified.sessionId(), PRICE, true);
            kafka.send(Topics.TRANSCRIPTS, modest);
            assertThat(suggestion(suggestions, modest, BOUND).category()).as("the other tenant's").isEqualTo("price");
            assertThat(unclassified() - before).as("counted once").isEqualTo(1);
            assertThat(suggested(suggestions, unclassified)).as("nothing suggested for the unclassified one").isFalse();
        }
    }

    private static boolean suggested(TopicReader suggestions, Envelope transcript) {
        return suggestions.all().stream().anyMatch(r -> r.envelope() != null
                && EventTypes.SUGGESTION.equals(r.envelope().type())
                && utteranceId(transcript).equals(r.envelope().payloadAs(Suggestion.class).utteranceId()));
    }

    private double unclassified() {
        var counter = meters.find("voicecoach.coaching.transcripts.unclassified").tag("reason", "over_share").counter();
        return counter == null ? 0 : counter.count();
    }

    private Suggestion suggestion(TopicReader suggestions, Envelope transcript, Duration bound) {
        String utterance = utteranceId(transcript);
        return suggestions.awaitOne(r -> transcript.sessionId().equals(r.key()) && r.envelope() != null
                && EventTypes.SUGGESTION.equals(r.envelope().type())
                && utterance.equals(r.envelope().payloadAs(Suggestion.class).utteranceId()), bound)
                .envelope().payloadAs(Suggestion.class);
    }

    private static Envelope transcript(String tenant, String session, String text, boolean isFinal) {
        var payload = new Transcript("item_" + UUID.randomUUID(), Track.CUSTOMER, text, isFinal, 1000, 3000, 1.0, "text",
                Instant.now().minusMillis(20));
        return Envelope.of(isFinal ? EventTypes.TRANSCRIPT_FINAL : EventTypes.TRANSCRIPT_PARTIAL, tenant, session, 1,
                "gateway-service", payload);
    }

    private static String utteranceId(Envelope transcript) {
        return transcript.payloadAs(Transcript.class).utteranceId();
    }
}
