package io.voicecoach.transcription.stt;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.SessionUpdated;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import io.voicecoach.events.TranscriptFailed;
import io.voicecoach.transcription.audio.Chunks;
import io.voicecoach.transcription.stt.OpenAiStub.Answer;
import io.voicecoach.transcription.transcript.TranscriptPublisher;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** session.updated switches a session's engine and phrase list for its next utterances. */
@QuarkusTest
@QuarkusTestResource(DevstackTestResource.class)
@QuarkusTestResource(EngineStubsResource.class)
class SessionSettingsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @Inject
    SessionRegistry registry;

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void anUpdateSwitchesTheEngineAndPhrasesForTheNextUtterance() {
        String session = "sess_" + UUID.randomUUID();
        EngineStubsResource.openai.answer(Answer.text("We looked at Initech."));
        start("scripted", session, Map.of(SessionRegistry.SESSION_PHRASES, "Globex"));
        try (var transcripts = kafka.read(Topics.TRANSCRIPTS)) {
            Chunks.sendUtterance(kafka, "scripted", session, Track.CUSTOMER, "item_1", 0, new byte[Chunks.CHUNK_BYTES], true);
            var first = finalOf(transcripts, session, "item_1");
            assertThat(first.engine()).isEqualTo("scripted");
            assertThat(first.text()).contains("[Acme Cloud, Globex]"); // tenant list + session list

            update("scripted", session, new SessionUpdated(null, "openai", "de-DE", List.of("Initech", "Hooli"), null, Map.of()));
            await().atMost(WAIT).until(() -> "openai".equals(registry.settings(session).engine()));
            int before = EngineStubsResource.openai.received().size();
            Chunks.sendUtterance(kafka, "scripted", session, Track.CUSTOMER, "item_2", 160, new byte[Chunks.CHUNK_BYTES], true);

            var second = finalOf(transcripts, session, "item_2");
            assertThat(second.engine()).isEqualTo("openai-compatible");
            assertThat(second.text()).isEqualTo("We looked at Initech.");
            assertThat(EngineStubsResource.openai.received()).hasSize(before + 1);
            assertThat(EngineStubsResource.openai.received().getLast().field("prompt")).isEqualTo("Acme Cloud, Initech, Hooli");
            assertThat(EngineStubsResource.openai.received().getLast().field("language")).isEqualTo("de");

            update("scripted", session, new SessionUpdated(null, "scripted", null, List.of(), null, Map.of()));
            await().atMost(WAIT).until(() -> "scripted".equals(registry.settings(session).engine()));
            Chunks.sendUtterance(kafka, "scripted", session, Track.CUSTOMER, "item_3", 320, new byte[Chunks.CHUNK_BYTES], true);
            var third = finalOf(transcripts, session, "item_3");
            assertThat(third.engine()).isEqualTo("scripted");
            assertThat(third.text()).endsWith("done [Acme Cloud]"); // the empty list cleared the session's phrases
        }
    }

    @Test
    void anUnknownEngineIsReportedOnceAndTheSessionStaysOnItsEngine() {
        String session = "sess_" + UUID.randomUUID();
        start("scripted", session, Map.of());
        try (var transcripts = kafka.read(Topics.TRANSCRIPTS)) {
            update("scripted", session, new SessionUpdated(null, "martian-asr", null, null, null, Map.of()));
            update("scripted", session, new SessionUpdated(null, "martian-asr", null, List.of("Globex"), null, Map.of()));
            await().atMost(WAIT).until(() -> registry.settings(session).phrases().equals(List.of("Globex")));

            var failed = transcripts.awaitOne(r -> isType(r, session, EventTypes.TRANSCRIPT_FAILED), WAIT);
            assertThat(failed.envelope().eventId()).isEqualTo(TranscriptPublisher.failureId(session, "engine/martian-asr"));
            assertThat(failed.envelope().tenantId()).isEqualTo("scripted");
            var payload = failed.envelope().payloadAs(TranscriptFailed.class);
            assertThat(payload.code()).isEqualTo("engine_unavailable");
            assertThat(payload.utteranceId()).isNull();
            assertThat(payload.engine()).isEqualTo("martian-asr");
            assertThat(payload.message()).contains("martian-asr", "stays on scripted");

            Chunks.sendUtterance(kafka, "scripted", session, Track.AGENT, "item_1", 0, new byte[Chunks.CHUNK_BYTES], true);
            var transcript = finalOf(transcripts, session, "item_1");
            assertThat(transcript.engine()).isEqualTo("scripted");
            assertThat(transcript.text()).endsWith("[Acme Cloud, Globex]"); // the rest of the update applied
            assertThat(transcripts.envelopes(session, EventTypes.TRANSCRIPT_FAILED)).hasSize(1);
        }
    }

    @Test
    void anEngineNamedAtStartThatIsNotEnabledHereIsReportedAndTheTenantDefaultServes() {
        String session = "sess_" + UUID.randomUUID();
        try (var transcripts = kafka.read(Topics.TRANSCRIPTS)) {
            // whisper exists but has no model configured in the tests: not enabled
            start("scripted", session, Map.of(SessionRegistry.SESSION_ENGINE, "whisper", SessionRegistry.SESSION_PHRASES, "Initech"));

            var failed = transcripts.awaitOne(r -> isType(r, session, EventTypes.TRANSCRIPT_FAILED), WAIT).envelope()
                    .payloadAs(TranscriptFailed.class);
            assertThat(failed.code()).isEqualTo("engine_unavailable");
            assertThat(failed.engine()).isEqualTo("whisper");
            assertThat(failed.message()).contains("enabled: [deepgram, openai-compatible, pocketsphinx, scripted]");

            Chunks.sendUtterance(kafka, "scripted", session, Track.CUSTOMER, "item_1", 0, new byte[Chunks.CHUNK_BYTES], true);
            var transcript = finalOf(transcripts, session, "item_1");
            assertThat(transcript.engine()).isEqualTo("scripted");
            assertThat(transcript.text()).endsWith("[Acme Cloud, Initech]");
        }
    }

    @Test
    void anotherTenantCannotChangeASessionsSettings() {
        String session = "sess_" + UUID.randomUUID();
        start("scripted", session, Map.of());
        try (var transcripts = kafka.read(Topics.TRANSCRIPTS)) {
            update("globex", session, new SessionUpdated(null, "openai-compatible", "fr-FR", List.of("Globex rules"), null, Map.of()));
            update("globex", session, new SessionUpdated(null, "martian-asr", null, null, null, Map.of()));
            // a later update of the owner proves the two before it were consumed
            update("scripted", session, new SessionUpdated(null, null, null, List.of("owner"), null, Map.of()));
            await().atMost(WAIT).until(() -> registry.settings(session).phrases().equals(List.of("owner")));

            assertThat(registry.settings(session).engine()).isNull();
            assertThat(registry.settings(session).language()).isEqualTo("en-US");
            Chunks.sendUtterance(kafka, "scripted", session, Track.AGENT, "item_1", 0, new byte[Chunks.CHUNK_BYTES], true);
            assertThat(finalOf(transcripts, session, "item_1").engine()).isEqualTo("scripted");
            assertThat(transcripts.envelopes(session, EventTypes.TRANSCRIPT_FAILED)).isEmpty();
        }
    }

    @Test
    void aTenantsConfiguredEngineIsItsDefault() {
        String session = "sess_" + UUID.randomUUID();
        EngineStubsResource.openai.answer(Answer.text("configured per tenant"));
        try (var transcripts = kafka.read(Topics.TRANSCRIPTS)) {
            Chunks.sendUtterance(kafka, "whisperco", session, Track.AGENT, "item_1", 0, new byte[Chunks.CHUNK_BYTES], true);
            assertThat(finalOf(transcripts, session, "item_1").engine()).isEqualTo("openai-compatible");
        }
    }

    private Transcript finalOf(KafkaTestClient.TopicReader transcripts, String session, String utterance) {
        return transcripts.awaitOne(r -> isType(r, session, EventTypes.TRANSCRIPT_FINAL)
                && utterance.equals(r.envelope().payloadAs(Transcript.class).utteranceId()), WAIT).envelope().payloadAs(Transcript.class);
    }

    private void start(String tenant, String session, Map<String, String> metadata) {
        kafka.send(Topics.SESSIONS, Envelope.of(EventTypes.SESSION_STARTED, tenant, session, 1, "test",
                new SessionStarted("coach", "call_1", "rep_1", List.of(Track.AGENT, Track.CUSTOMER), "en-US", "audio/pcm", metadata)));
        await().atMost(WAIT).until(() -> registry.find(session).map(s -> s.started() != null).orElse(false));
    }

    private void update(String tenant, String session, SessionUpdated update) {
        kafka.send(Topics.SESSIONS, Envelope.of(EventTypes.SESSION_UPDATED, tenant, session, 2, "test", update));
    }

    private static boolean isType(KafkaTestClient.Received r, String session, String type) {
        return r.envelope() != null && session.equals(r.envelope().sessionId()) && type.equals(r.envelope().type());
    }
}
