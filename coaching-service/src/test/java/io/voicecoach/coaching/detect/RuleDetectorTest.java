package io.voicecoach.coaching.detect;

import io.voicecoach.coaching.playbook.PlaybookLoader;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RuleDetectorTest {

    private final RuleDetector detector = new RuleDetector(PlaybookLoader.fromResource("playbooks/default.json"));

    record Turn(int number, String track, String text, String expected) {
    }

    @Test
    void detectsExactlyTheExpectedResultForEveryTurnOfTheSampleCall() throws IOException {
        var turns = sampleCall();
        assertThat(turns).hasSize(15);

        var found = new ArrayList<String>();
        for (var turn : turns) {
            var detection = detector.detect(finalTranscript(turn.track(), turn.text()));
            String actual = detection.map(d -> d.kind() + "/" + d.category()).orElse("-");
            assertThat(actual).as("turn %d: %s", turn.number(), turn.text()).isEqualTo(turn.expected());
            detection.ifPresent(d -> found.add(d.category()));
        }
        assertThat(found).containsExactly("price", "competitor", "authority", "timing", "need", "buying_signal");
    }

    @Test
    void reportsTheMatchConfidenceAnswerAndNamedCompetitor() {
        var detection = detector.detect(customer("Maybe, but we are already talking to Globex about this.")).orElseThrow();

        assertThat(detection.kind()).isEqualTo(Detection.OBJECTION);
        assertThat(detection.category()).isEqualTo("competitor");
        assertThat(detection.competitor()).isEqualTo("globex");
        assertThat(detection.matched()).isEqualTo("globex");
        assertThat(detection.confidence()).isBetween(0.5, 0.99);
        assertThat(detection.answer().title()).startsWith("Competitor");

        var price = detector.detect(customer("Honestly the price is too high for us this quarter.")).orElseThrow();
        assertThat(price.matched()).isEqualTo("price is too high");
        assertThat(price.competitor()).isNull();
        assertThat(price.confidence()).isGreaterThan(detection.confidence());
    }

    @Test
    void namesACompetitorWhateverTheCategory() {
        var detection = detector.detect(customer("Umbrella offered us a cheaper option, honestly.")).orElseThrow();

        assertThat(detection.category()).isEqualTo("price");
        assertThat(detection.competitor()).isEqualTo("umbrella");
    }

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            It's too expensive for us.                                   | price
            We just can't afford that right now.                         | price
            That's way over our budget.                                  | price
            The cost seems a bit too high.                               | price
            Budget is tight this year.                                   | price
            No, it's too expensive.                                      | price
            I don't know, the price is too high.                         | price
            Can you call me back in a few months?                        | timing
            We're too busy right now to take this on.                    | timing
            Let's revisit this later, it's not the right time.           | timing
            We're not ready to sign yet.                                 | timing
            Maybe next year.                                             | timing
            I'll need to check with my manager first.                    | authority
            It's not my decision, the board decides.                     | authority
            We need approval from procurement before anything happens.   | authority
            Let me talk to our CFO about it.                             | authority
            We're looking at other vendors too.                          | competitor
            Initech offered us a better deal.                            | competitor
            We are already using Hooli for that.                         | competitor
            We're evaluating a few options, including Umbrella.          | competitor
            We don't really need this.                                   | need
            I don't see the need for it.                                 | need
            Why would we need something like this?                       | need
            It's a nice to have, not a must.                             | need
            I've never heard of your company.                            | trust
            How do we know this will actually work?                      | trust
            We got burned by a vendor like this before.                  | trust
            I'm worried about security with our customer data.           | trust
            We're happy with what we have right now.                     | status_quo
            We don't want to change how we do things.                    | status_quo
            Honestly, we've always done it this way.                     | status_quo
            Switching would be too much hassle.                          | status_quo
            """)
    void detectsOtherPhrasingsOfEachObjection(String text, String category) {
        var detection = detector.detect(customer(text));

        assertThat(detection).as(text).isPresent();
        assertThat(detection.get().kind()).isEqualTo(Detection.OBJECTION);
        assertThat(detection.get().category()).as(text).isEqualTo(category);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "When can we start?",
            "What are the next steps?",
            "Can you send me a proposal?",
            "We're ready to move forward.",
            "How many seats would we need for the support team?",
    })
    void detectsBuyingSignals(String text) {
        var detection = detector.detect(customer(text));

        assertThat(detection).as(text).isPresent();
        assertThat(detection.get().kind()).isEqualTo(Detection.BUYING_SIGNAL);
        assertThat(detection.get().category()).isEqualTo(Detection.BUYING_SIGNAL);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "What time is it over there?",
            "The price of tea in China has nothing to do with this.",
            "Price is not an issue for us.",
            "It's not too expensive.",
            "I don't think the price is too high.",
            "I'm the decision maker here.",
            "We trust you, honestly.",
            "We don't need to run this by anyone.",
            "The weather in Boston has been great lately.",
            "Our team grew from five to twelve people this year.",
            "I get started at nine every morning.",
            "We have a contract with our cleaning company.",
            "We use Globex for payroll.",
            "Busy.",
            "",
            "?!,.",
    })
    void ignoresNeutralLinesAndHardNegatives(String text) {
        assertThat(detector.detect(customer(text))).as(text).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "My boss sat in on the webinar you ran.",
            "Our board approved a bigger hiring plan this spring.",
            "The committee meets on Thursdays anyway.",
            "Our CFO used to work at a bank.",
            "We compete with a competitor twice our size.",
            "We used to be a competitor of Hooli.",
            "Our clients tell us our service is too expensive until they see the savings.",
            "We're a bit expensive as well, that's the premium segment.",
            "Money has never been the problem for this team.",
            "I don't need to run this by anyone, it's my budget.",
            "I can approve this myself.",
            "I'm not worried about your security at all.",
            "The timing is perfect for us.",
    })
    void ignoresMentionsOfBossesCompetitorsAndPricesThatAreNotObjections(String text) {
        assertThat(detector.detect(customer(text))).as(text).isEmpty();
    }

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            Our CFO would need to sign off on anything like this.        | authority
            The decision sits with the owner, not with me.               | authority
            My manager has to approve every new vendor.                  | authority
            Honestly we're leaning towards a competitor right now.       | competitor
            """)
    void findsAuthorityAndCompetitorObjectionsByWhatIsSaidAboutThem(String text, String category) {
        var detection = detector.detect(customer(text));

        assertThat(detection).as(text).isPresent();
        assertThat(detection.get().category()).as(text).isEqualTo(category);
    }

    @Test
    void aCategorysNegativePatternsVetoItForEveryLayer() {
        var reassured = customer("Price isn't really an issue for us.");

        assertThat(detector.vetoes("price", reassured)).isTrue();
        assertThat(detector.vetoes("trust", reassured)).isFalse();
        assertThat(detector.vetoes("price", customer("The price is too high."))).isFalse();
        assertThat(detector.vetoes("buying_signal", reassured)).isFalse();
    }

    @Test
    void coachesOnlyFinalCustomerTranscripts() {
        String objection = "Honestly the price is too high for us this quarter.";

        assertThat(detector.detect(finalTranscript(Track.AGENT, objection))).isEmpty();
        assertThat(detector.detect(new Transcript("u1", Track.CUSTOMER, objection, false, 0, 0, 1, "text", Instant.now())))
                .isEmpty();
        assertThat(detector.detect(finalTranscript(null, objection))).isEmpty();
        assertThat(detector.detect(finalTranscript(Track.CUSTOMER, null))).isEmpty();
        assertThat(detector.detect(null)).isEmpty();
        assertThat(detector.detect(customer(objection))).isPresent();
    }

    @Test
    void aBuyingSignalBeatsAWeakObjectionButNotAStrongOne() {
        var mini = new RuleDetector(PlaybookLoader.parse("mini", """
                {"name": "mini", "minConfidence": 0.5, "strongObjectionConfidence": 0.9,
                 "weights": {"phrase": 0.8, "pattern": 0.9, "keyword": 0.25}, "negators": ["not"], "negationWindow": 3,
                 "objections": [{"category": "price", "phrases": ["too expensive"], "keywords": ["budget"],
                                 "patterns": ["\\\\bway too expensive\\\\b"], "answer": {"title": "P", "message": "p"}}],
                 "buyingSignals": {"phrases": ["send the contract"], "answer": {"title": "B", "message": "b"}}}
                """));

        var weak = mini.detect(customer("It is a little too expensive for our budget, but send the contract")).orElseThrow();
        assertThat(weak.kind()).isEqualTo(Detection.BUYING_SIGNAL);
        assertThat(weak.confidence()).isEqualTo(0.8);

        var strong = mini.detect(customer("It is way too expensive, so do not send the contract")).orElseThrow();
        assertThat(strong.kind()).isEqualTo(Detection.OBJECTION);

        var both = mini.detect(customer("It is way too expensive, but send the contract")).orElseThrow();
        assertThat(both.kind()).isEqualTo(Detection.OBJECTION);
        assertThat(both.confidence()).isEqualTo(0.98);
    }

    @Test
    void normalisesCaseApostrophesAndPunctuation() {
        var utterance = NormalizedText.of("I DON’T know; it's TOO-expensive!!");

        assertThat(utterance.text()).isEqualTo("i dont know its too expensive");
        assertThat(utterance.negatedAt(4, java.util.Set.of("dont"), 3)).isFalse(); // "dont" is in another clause
        assertThat(utterance.negatedAt(2, java.util.Set.of("dont"), 3)).isTrue();
    }

    static List<Turn> sampleCall() throws IOException {
        try (InputStream in = RuleDetectorTest.class.getResourceAsStream("/sample-call.md")) {
            String markdown = new String(Objects.requireNonNull(in, "sample-call.md").readAllBytes(), StandardCharsets.UTF_8);
            return markdown.lines()
                    .filter(line -> line.matches("\\|\\s*\\d+\\s*\\|.*"))
                    .map(line -> line.split("\\|"))
                    .map(cells -> new Turn(Integer.parseInt(cells[1].trim()), cells[2].trim(), cells[3].trim(),
                            cells[4].trim()))
                    .toList();
        }
    }

    static Transcript customer(String text) {
        return finalTranscript(Track.CUSTOMER, text);
    }

    private static Transcript finalTranscript(String track, String text) {
        return new Transcript("u_" + Optional.ofNullable(text).map(String::hashCode).orElse(0), track, text, true, 0,
                1000, 1.0, "text", Instant.now());
    }
}
