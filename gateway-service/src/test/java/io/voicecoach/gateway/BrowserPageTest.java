package io.voicecoach.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.HeadlessBrowser;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.AgentResponseCreated;
import io.voicecoach.events.AgentResponseDone;
import io.voicecoach.events.AgentTextDelta;
import io.voicecoach.events.AudioHeaders;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.Suggestion;
import io.voicecoach.events.Topics;
import io.voicecoach.gateway.ws.GatewayDrain;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.voicecoach.gateway.TestEvents.DEMO_KEY;
import static io.voicecoach.gateway.TestEvents.DEMO_TENANT;
import static io.voicecoach.gateway.TestEvents.battleCard;
import static io.voicecoach.gateway.TestEvents.checklist;
import static io.voicecoach.gateway.TestEvents.citedSuggestion;
import static io.voicecoach.gateway.TestEvents.stageChanged;
import static io.voicecoach.gateway.TestEvents.suggestion;
import static io.voicecoach.gateway.TestEvents.withoutCard;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The browser page at {@code /} in headless Chromium (Playwright) with a fake microphone playing espeak-ng speech:
 * connect with the demo key (client secret + subprotocol), listening state, audio frames on {@code voice.audio} for
 * the page's session on the rep's {@code agent} track, a suggestion for that session shown as a card and its battle card (a later frame) attached to
 * it with the knowledge-base chunks the suggestion cites, the call's stage (and the stage change sent while it was
 * away, after the restart), the compliance checklist (the recording notice pending, then ticked while it was away),
 * an agent reply shown with the AI-speaking state, a gateway restart of its connection (close 1012) from which the
 * page resumes its session by itself (reconnecting -> listening, a suggestion sent meanwhile shown once, nothing shown
 * twice), disconnect back to idle, a wrong key shown as an error. The script
 * (src/test/resources/browser/browser-page.js) checks the page; this class checks Kafka and restarts the connection.
 */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class BrowserPageTest {

    static final Duration WAIT = Duration.ofSeconds(90);

    @TestHTTPResource("/")
    URI page;

    @TempDir
    Path dir;

    @Inject
    GatewayDrain drain;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void closeKafka() {
        kafka.close();
    }

    @Test
    void capturesTheMicrophoneShowsCoachingCardsAndReportsItsState() throws Exception {
        assumeBrowserWithVoice();
        var wav = speech(dir);
        var script = script(dir, "browser-page.js");
        var sessionFile = dir.resolve("session-id");
        var replyShown = dir.resolve("reply-shown");
        String afterRestart = "sug_after_restart_" + UUID.randomUUID();
        // the card's content; sent for the page's session once it is known
        var sent = citedSuggestion(DEMO_TENANT, "sess_not_yet_known", "sug_browser_" + UUID.randomUUID())
                .payloadAs(Suggestion.class);
        var env = new HashMap<String, String>();
        env.put("PAGE_URL", page.toString());
        env.put("API_KEY", DEMO_KEY);
        env.put("WRONG_KEY", "vc_wrong_" + UUID.randomUUID());
        env.put("SPEECH_WAV", wav.toAbsolutePath().toString());
        env.put("SESSION_FILE", sessionFile.toAbsolutePath().toString());
        env.put("SUGGESTION_ID", sent.suggestionId());
        env.put("CARD_TITLE", sent.title());
        env.put("CARD_MESSAGE", sent.message());
        env.put("BATTLE_TITLE", sent.card().title());
        env.put("REPLY_TEXT", "The price includes delivery.");
        env.put("REPLY_FILE", replyShown.toAbsolutePath().toString());
        env.put("SUGGESTION_ID_2", afterRestart);
        env.put("CITATION_TITLE", sent.citations().getFirst().documentTitle());
        env.put("CITATION_EXCERPT", sent.citations().getFirst().excerpt());
        env.put("STAGE_1", "problem");
        env.put("STAGE_2", "implication");

        try (var audio = kafka.read(Topics.AUDIO)) {
            var browser = start(script, env, Duration.ofMinutes(4));
            String sessionId = awaitSessionId(sessionFile, browser);

            var chunks = audio.await(r -> sessionId.equals(r.key()), 2, WAIT);
            assertThat(chunks).allSatisfy(r -> {
                assertThat(r.headers()).containsEntry(AudioHeaders.TENANT_ID, DEMO_TENANT)
                        .containsEntry(AudioHeaders.SESSION_ID, sessionId)
                        .containsEntry(AudioHeaders.TRACK, "agent"); // coach mode: the microphone is the rep
                assertThat(r.value().length).isPositive().isEven();
            });

            var full = citedSuggestion(DEMO_TENANT, sessionId, sent.suggestionId());
            kafka.send(Topics.SUGGESTIONS, withoutCard(full));
            kafka.send(Topics.SUGGESTIONS, battleCard(DEMO_TENANT, sessionId, full));
            kafka.send(Topics.SUGGESTIONS, stageChanged(DEMO_TENANT, sessionId, "problem", "situation", 3000));
            kafka.send(Topics.SUGGESTIONS, checklist(DEMO_TENANT, sessionId, "pending", false));
            kafka.send(Topics.AGENT_REPLIES, reply(sessionId, EventTypes.AGENT_RESPONSE_CREATED,
                    new AgentResponseCreated("resp_browser")));
            kafka.send(Topics.AGENT_REPLIES, reply(sessionId, EventTypes.AGENT_TEXT_DELTA,
                    new AgentTextDelta("resp_browser", "item_reply", "The price includes ")));
            kafka.send(Topics.AGENT_REPLIES, reply(sessionId, EventTypes.AGENT_TEXT_DELTA,
                    new AgentTextDelta("resp_browser", "item_reply", "delivery.")));
            kafka.send(Topics.AGENT_REPLIES, reply(sessionId, EventTypes.AGENT_RESPONSE_DONE,
                    new AgentResponseDone("resp_browser", "completed", "The price includes delivery.")));

            // the gateway restarts the page's connection (what a drain does); a suggestion arrives while it is away
            await().atMost(WAIT).until(() -> Files.exists(replyShown) || browser.isDone());
            assertThat(drain.handOver(sessionId)).as("the page's session was attached; script output:\n%s",
                    browser.isDone() ? browser.join().output() : "").isTrue();
            kafka.send(Topics.SUGGESTIONS, stageChanged(DEMO_TENANT, sessionId, "implication", "problem", 9000));
            kafka.send(Topics.SUGGESTIONS, checklist(DEMO_TENANT, sessionId, "said", false));
            kafka.send(Topics.SUGGESTIONS, suggestion(DEMO_TENANT, sessionId, afterRestart));

            var result = browser.get(5, TimeUnit.MINUTES);
            System.out.println(result.output());
            assertThat(result.passed()).as(result.output()).isTrue();
            assertThat(result.output()).contains("browser-page: passed");
        }
    }

    /** Skips the test, naming what to install, unless Chromium (with node and npm) and espeak-ng and sox are here. */
    static void assumeBrowserWithVoice() {
        var missing = HeadlessBrowser.missingTools();
        assumeTrue(missing.isEmpty(), missing.orElse(""));
        assumeTrue(onPath("espeak-ng") && onPath("sox"), "install espeak-ng and sox to give the browser a voice");
    }

    /** Copies the page script {@code name} and the {@code page-kit.js} it requires into {@code dir}. */
    static Path script(Path dir, String name) throws IOException {
        for (var file : List.of(name, "page-kit.js")) {
            try (InputStream in = BrowserPageTest.class.getResourceAsStream("/browser/" + file)) {
                Files.copy(in, dir.resolve(file));
            }
        }
        return dir.resolve(name);
    }

    /** Runs the page script in the background. */
    static CompletableFuture<HeadlessBrowser.Result> start(Path script, Map<String, String> env, Duration timeout) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return HeadlessBrowser.run(script, env, timeout);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The page's session id, once the script wrote it to {@code sessionFile} (the page is listening). */
    static String awaitSessionId(Path sessionFile, CompletableFuture<HeadlessBrowser.Result> browser)
            throws IOException {
        await().atMost(WAIT).until(() -> Files.exists(sessionFile) && Files.size(sessionFile) > 0
                || browser.isDone());
        assertThat(Files.exists(sessionFile)).as("the page reached listening; script output:\n%s",
                browser.isDone() ? browser.join().output() : "").isTrue();
        return Files.readString(sessionFile).trim();
    }

    private static Envelope reply(String sessionId, String type, Object payload) {
        return Envelope.of(type, DEMO_TENANT, sessionId, 1, "coaching-service", payload);
    }

    /** A sentence of espeak-ng speech and a second of silence, 48 kHz mono WAV; Chromium loops it as the mic. */
    static Path speech(Path dir) throws Exception {
        var raw = dir.resolve("speech-raw.wav");
        var wav = dir.resolve("speech.wav");
        run("espeak-ng", "-v", "en-us", "-s", "160", "-w", raw.toString(),
                "Honestly the price is too high for us this quarter, can you do better?");
        run("sox", raw.toString(), "-r", "48000", "-c", "1", "-b", "16", wav.toString(), "pad", "0.5", "1.0");
        return wav;
    }

    static boolean onPath(String tool) {
        try {
            return new ProcessBuilder("which", tool).start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    static void run(String... command) throws Exception {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    }
}
