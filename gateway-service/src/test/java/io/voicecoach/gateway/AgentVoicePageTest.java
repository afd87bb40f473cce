package io.voicecoach.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.AgentAudioDelta;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.ItemTruncated;
import io.voicecoach.events.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.voicecoach.gateway.AudioFrames.pcm16;
import static io.voicecoach.gateway.AudioFrames.tone;
import static io.voicecoach.gateway.BrowserPageTest.run;
import static io.voicecoach.gateway.TestEvents.DEMO_KEY;
import static io.voicecoach.gateway.TestEvents.DEMO_TENANT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The browser page in agent mode ({@code /?mode=agent}) plays the voice agent's speech with Web Audio, shows "AI
 * speaking", and stops when the user talks over it (issue 15 item 6), in headless Chromium: the fake microphone stays
 * silent for three seconds, then speaks while fifteen seconds of the agent's audio are scheduled; server VAD cuts the
 * item, the page stops playing at {@code output_audio_buffer.cleared} and coaching is told what was heard.
 */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class AgentVoicePageTest {

    private static final int CHUNKS = 75; // 15 s of 200 ms chunks
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TestHTTPResource("/")
    URI page;

    @TempDir
    Path dir;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void closeKafka() {
        kafka.close();
    }

    @Test
    void playsTheAgentsVoiceShowsAiSpeakingAndStopsWhenTheUserTalksOverIt() throws Exception {
        BrowserPageTest.assumeBrowserWithVoice();
        var raw = dir.resolve("speech-raw.wav");
        var wav = dir.resolve("speech.wav");
        run("espeak-ng", "-v", "en-us", "-s", "160", "-w", raw.toString(), "Wait, stop, I have a question about that.");
        run("sox", raw.toString(), "-r", "48000", "-c", "1", "-b", "16", wav.toString(), "pad", "3.0", "1.0");
        var script = BrowserPageTest.script(dir, "agent-voice-page.js");
        var sessionFile = dir.resolve("session-id");
        var env = Map.of("PAGE_URL", page.resolve("/?mode=agent").toString(), "API_KEY", DEMO_KEY,
                "SPEECH_WAV", wav.toAbsolutePath().toString(), "SESSION_FILE", sessionFile.toAbsolutePath().toString(),
                "CHUNKS", Integer.toString(CHUNKS));

        try (var sessions = kafka.read(Topics.SESSIONS)) {
            var browser = BrowserPageTest.start(script, env, Duration.ofMinutes(3));
            String sessionId = BrowserPageTest.awaitSessionId(sessionFile, browser);
            // a fast engine: the whole reply's audio at once, the page schedules it back to back
            String chunk = Base64.getEncoder().encodeToString(pcm16(tone(24000, 200, 330, 0.05)));
            for (int i = 0; i < CHUNKS; i++) {
                kafka.send(Topics.AGENT_SPEECH, Envelope.of(EventTypes.AGENT_AUDIO_DELTA, DEMO_TENANT, sessionId, 1,
                        "transcription-service", new AgentAudioDelta("resp_voice", "item_voice", i,
                                i == 0 ? "Let me tell you all about our delivery options and prices." : "", 24000,
                                i * 200L, 200, chunk)));
            }

            var result = browser.get(4, TimeUnit.MINUTES);
            System.out.println(result.output());
            assertThat(result.passed()).as(result.output()).isTrue();
            assertThat(result.output()).contains("agent-voice-page: passed");
            var cut = sessions.awaitOne(r -> sessionId.equals(r.key()) && r.envelope() != null
                    && EventTypes.ITEM_TRUNCATED.equals(r.envelope().type()), WAIT).envelope()
                    .payloadAs(ItemTruncated.class);
            assertThat(cut.itemId()).isEqualTo("item_voice");
            assertThat(cut.audioEndMs()).isBetween(0L, CHUNKS * 200L - 1);
        }
    }
}
