package io.voicecoach.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.devstack.TcpBalancer;
import io.voicecoach.events.AudioHeaders;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.voicecoach.gateway.BrowserPageTest.WAIT;
import static io.voicecoach.gateway.BrowserPageTest.assumeBrowserWithVoice;
import static io.voicecoach.gateway.BrowserPageTest.awaitSessionId;
import static io.voicecoach.gateway.BrowserPageTest.script;
import static io.voicecoach.gateway.BrowserPageTest.speech;
import static io.voicecoach.gateway.BrowserPageTest.start;
import static io.voicecoach.gateway.TestEvents.DEMO_KEY;
import static io.voicecoach.gateway.TestEvents.DEMO_TENANT;
import static io.voicecoach.gateway.TestEvents.suggestion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The browser page as a rep uses it on a call, in headless Chromium with a fake microphone: the rep's page streams
 * the microphone as the {@code agent} track, its "copy customer-leg link" opens a second page as the {@code customer}
 * leg of the same call (two sessions joined by call id on {@code voice.sessions}), the customer leg's suggestion and
 * the rep's talk-time nudge (stand-ins for coaching-service's) reach the rep's page only. Then the network goes down
 * under both pages: the test stops the TCP proxy they were loaded through (their connections end without a close
 * frame), publishes two suggestions, and starts the proxy again; both pages reconnect with back-off, resume their
 * sessions ({@code ?session_id=} upgrades through the proxy), and the rep's page shows the missed cards once and the
 * earlier ones not again. The script (src/test/resources/browser/call-legs-page.js) checks the pages.
 */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class CallLegsPageTest {

    @TestHTTPResource("/")
    URI gateway;

    @TempDir
    Path dir;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void closeKafka() {
        kafka.close();
    }

    @Test
    void theRepsMicrophoneIsTheAgentTrackItsCustomerLegJoinsTheCallAndBothResumeAfterANetworkDrop() throws Exception {
        assumeBrowserWithVoice();
        var repFile = dir.resolve("rep-session");
        var customerFile = dir.resolve("customer-session");
        var cardsShown = dir.resolve("cards-shown");
        String objection = "sug_objection_" + UUID.randomUUID();
        String nudge = "sug_nudge_" + UUID.randomUUID();
        String awayFromCustomer = "sug_away_customer_" + UUID.randomUUID();
        String awayFromRep = "sug_away_rep_" + UUID.randomUUID();
        var backends = List.of(gateway.getPort());
        var proxy = TcpBalancer.start("page", 0, backends);
        int port = proxy.port();

        var env = new HashMap<String, String>();
        env.put("PAGE_URL", "http://127.0.0.1:" + port + "/");
        env.put("API_KEY", DEMO_KEY);
        env.put("SPEECH_WAV", speech(dir).toAbsolutePath().toString());
        env.put("REP_SESSION_FILE", repFile.toAbsolutePath().toString());
        env.put("CUSTOMER_SESSION_FILE", customerFile.toAbsolutePath().toString());
        env.put("OBJECTION_ID", objection);
        env.put("NUDGE_ID", nudge);
        env.put("CARDS_FILE", cardsShown.toAbsolutePath().toString());
        env.put("AWAY_IDS", awayFromCustomer + "," + awayFromRep);

        try (var audio = kafka.read(Topics.AUDIO); var sessions = kafka.read(Topics.SESSIONS)) {
            var browser = start(script(dir, "call-legs-page.js"), env, Duration.ofMinutes(4));
            String rep = awaitSessionId(repFile, browser);
            String customer = awaitSessionId(customerFile, browser);

            assertThat(audio.await(r -> rep.equals(r.key()), 2, WAIT))
                    .allSatisfy(r -> assertThat(r.headers()).containsEntry(AudioHeaders.TRACK, "agent"));
            assertThat(audio.await(r -> customer.equals(r.key()), 2, WAIT))
                    .allSatisfy(r -> assertThat(r.headers()).containsEntry(AudioHeaders.TRACK, "customer"));
            var started = sessions.await(r -> r.envelope() != null
                    && EventTypes.SESSION_STARTED.equals(r.envelope().type())
                    && (rep.equals(r.key()) || customer.equals(r.key())), 2, WAIT);
            assertThat(started).extracting(r -> r.envelope().payloadAs(SessionStarted.class).callId())
                    .as("both legs are in the rep's call").containsExactly(rep, rep);
            assertThat(started).as("the customer leg carries only the customer's track, the rep's session both")
                    .allSatisfy(r -> assertThat(r.envelope().payloadAs(SessionStarted.class).tracks())
                            .containsExactlyElementsOf(customer.equals(r.key()) ? List.of("customer")
                                    : List.of("agent", "customer")));

            kafka.send(Topics.SUGGESTIONS, suggestion(DEMO_TENANT, customer, objection));
            kafka.send(Topics.SUGGESTIONS, talkRatioNudge(rep, nudge));
            await().atMost(WAIT).until(() -> Files.exists(cardsShown) || browser.isDone());
            assertThat(Files.exists(cardsShown)).as("the rep's page showed both cards; script output:\n%s",
                    browser.isDone() ? browser.join().output() : "").isTrue();

            proxy.close(); // the network goes down: both pages' connections end without a close frame
            kafka.send(Topics.SUGGESTIONS, suggestion(DEMO_TENANT, customer, awayFromCustomer));
            kafka.send(Topics.SUGGESTIONS, talkRatioNudge(rep, awayFromRep));
            proxy = TcpBalancer.start("page", port, backends); // and comes back

            var result = browser.get(5, TimeUnit.MINUTES);
            System.out.println(result.output());
            assertThat(result.passed()).as(result.output()).isTrue();
            assertThat(result.output()).contains("call-legs-page: passed");
            assertThat(proxy.connections()).extracting(TcpBalancer.Connection::firstLine)
                    .as("both pages resumed their sessions")
                    .anyMatch(line -> line.startsWith("GET /v1/realtime?session_id=" + rep))
                    .anyMatch(line -> line.startsWith("GET /v1/realtime?session_id=" + customer));
        } finally {
            proxy.close();
        }
    }

    @Test
    void aSharedTabsAudioIsTheCustomerTrackOfTheRepsOwnSession() throws Exception {
        assumeBrowserWithVoice();
        var sessionFile = dir.resolve("session");
        var sharing = dir.resolve("sharing");
        var env = new HashMap<String, String>();
        env.put("PAGE_URL", gateway.toString());
        env.put("API_KEY", DEMO_KEY);
        env.put("SPEECH_WAV", speech(dir).toAbsolutePath().toString());
        env.put("SESSION_FILE", sessionFile.toAbsolutePath().toString());
        env.put("SHARING_FILE", sharing.toAbsolutePath().toString());

        try (var audio = kafka.read(Topics.AUDIO)) {
            var browser = start(script(dir, "tab-audio-page.js"), env, Duration.ofMinutes(3));
            String session = awaitSessionId(sessionFile, browser);
            await().atMost(WAIT).until(() -> Files.exists(sharing) || browser.isDone());
            assertThat(Files.exists(sharing)).as("the page shared the tab's audio; script output:\n%s",
                    browser.isDone() ? browser.join().output() : "").isTrue();
            // one session, both speakers: what coaching's talk-time nudges compare
            assertThat(audio.await(r -> session.equals(r.key())
                    && "customer".equals(r.headers().get(AudioHeaders.TRACK)), 2, WAIT)).hasSizeGreaterThanOrEqualTo(2);
            assertThat(audio.await(r -> session.equals(r.key())
                    && "agent".equals(r.headers().get(AudioHeaders.TRACK)), 2, WAIT)).hasSizeGreaterThanOrEqualTo(2);

            var result = browser.get(3, TimeUnit.MINUTES);
            System.out.println(result.output());
            assertThat(result.passed()).as(result.output()).isTrue();
            assertThat(result.output()).contains("tab-audio-page: passed");
        }
    }

    /** What coaching-service publishes when the rep does most of the talking. */
    private static Envelope talkRatioNudge(String sessionId, String suggestionId) {
        var nudge = new Suggestion(suggestionId, "item_" + UUID.randomUUID(), "nudge", "talk_ratio",
                "You are doing 78% of the talking", "Ask a discovery question and let the customer talk.", 1.0,
                "nudge", 3, null, Instant.now().minusMillis(40), Instant.now().minusMillis(60));
        return Envelope.of(EventTypes.SUGGESTION, DEMO_TENANT, sessionId, 1, "coaching-service", nudge);
    }
}
