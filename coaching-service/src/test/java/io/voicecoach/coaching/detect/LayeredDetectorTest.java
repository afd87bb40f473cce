package io.voicecoach.coaching.detect;

import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.platform.testing.GatewayCredentialStub;
import io.voicecoach.coaching.playbook.PlaybookSource;
import io.voicecoach.devstack.DevstackTestResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service's detector: rules plus the real embedding model (from the jar, no network) with the default knobs.
 * A @QuarkusTest because the tokenizer's native library can be loaded by one class loader per JVM only.
 */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "coaching"))
@QuarkusTestResource(GatewayCredentialStub.class)
class LayeredDetectorTest {

    private static final double MIN_PROBABILITY = 0.4;

    @Inject
    Detector detector;

    @Inject
    PlaybookSource playbooks;

    @Inject
    TenantEngines engines;

    @Test
    void theSampleCallStillYieldsExactlyItsExpectedSuggestions() throws IOException {
        var found = new ArrayList<String>();
        for (var turn : RuleDetectorTest.sampleCall()) {
            var detection = detector.detect(transcript(turn.track(), turn.text()));
            String actual = detection.map(d -> d.kind() + "/" + d.category()).orElse("-");
            assertThat(actual).as("turn %d: %s", turn.number(), turn.text()).isEqualTo(turn.expected());
            detection.ifPresent(d -> assertThat(d.source()).isEqualTo(Detection.RULES));
            detection.ifPresent(d -> found.add(d.category()));
        }
        assertThat(found).containsExactly("price", "competitor", "authority", "timing", "need", "buying_signal");
    }

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            We just don't have the money this year.               | price
            Funding for new tools has dried up for us.            | price
            Let's talk again once the busy season is over.        | timing
            The subscription is more than our entire tooling budget. | price
            We'd rather keep doing things the way we always have.  | status_quo
            I wouldn't know who you are if you hadn't called.      | trust
            Let's reconnect when the fiscal year starts.           | timing
            """)
    void findsObjectionsTheRulesMissByMeaning(String text, String category) {
        var customer = transcript(Track.CUSTOMER, text);
        assertThat(new RuleDetector(playbooks.playbook()).detect(customer)).as("the rules alone miss it").isEmpty();

        var detection = detector.detect(customer).orElseThrow();
        assertThat(detection.category()).isEqualTo(category);
        assertThat(detection.source()).isEqualTo(Detection.EMBEDDING);
        assertThat(detection.confidence()).isBetween(MIN_PROBABILITY, 0.99);
        assertThat(detection.matched()).as("the nearest playbook example").isNotBlank();
        assertThat(detection.answer()).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Good morning, can you hear me okay?", "Our main office is in Denver.",
            "I'll share my screen in a second.", "Sorry, my dog is barking."})
    void smallTalkStaysQuiet(String text) {
        assertThat(detector.detect(transcript(Track.CUSTOMER, text))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Coffee prices in the cafeteria went up again.", "My supervisor is out sick today.",
            "Our biggest rival sponsors the same trade show.", "I need to step out at four for a dentist appointment.",
            "We just got our security certification renewed."})
    void harmlessMentionsOfObjectionTopicsStayQuiet(String text) {
        assertThat(detector.detect(transcript(Track.CUSTOMER, text))).isEmpty();
    }

    @Test
    void onlyFinalCustomerTranscriptsAreEmbedded() {
        String text = "We just don't have the money this year.";
        assertThat(detector.detect(transcript(Track.AGENT, text))).isEmpty();
        assertThat(detector.detect(new Transcript("u", Track.CUSTOMER, text, false, 0, 1, 1, "text", Instant.now())))
                .isEmpty();
        assertThat(detector.detect(transcript(Track.CUSTOMER, "   "))).isEmpty();
    }

    @Test
    void theTokenizersNativeLibraryIsUnpackedUnderTarget() {
        assertThat(Files.isDirectory(Path.of("target/djl-cache/tokenizers"))).isTrue();
    }

    @Test
    void theServiceRunsRulesThenEmbeddings() {
        assertThat(engines.defaultEngine().detector()).isInstanceOf(LayeredDetector.class);
        assertThat(engines.forTenant("tenant-without-playbook")).isSameAs(engines.defaultEngine());
    }

    private static Transcript transcript(String track, String text) {
        return new Transcript("u_" + text.hashCode(), track, text, true, 0, 1000, 1.0, "text", Instant.now());
    }
}
