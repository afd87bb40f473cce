package io.voicecoach.transcription.stt;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.AudioHeaders;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import io.voicecoach.events.TranscriptFailed;
import io.voicecoach.transcription.audio.Chunks;
import io.voicecoach.transcription.stt.OpenAiStub.Answer;
import io.voicecoach.transcription.transcript.TranscriptPublisher;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A session's speech-to-text settings come with its audio: each utterance is decoded with the engine, language and
 * phrases in the headers of its first chunk, on top of the tenant's configuration. An engine that sends audio off this
 * machine decodes only for tenants allowed to use it; engine names a client sends reach the log only sanitised.
 */
@QuarkusTest
@QuarkusTestResource(DevstackTestResource.class)
@QuarkusTestResource(EngineStubsResource.class)
class SessionSettingsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final byte[] ONE_CHUNK = new byte[Chunks.CHUNK_BYTES];
    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void eachUtteranceIsDecodedWithTheSettingsOfItsFirstChunk() {
        String session = "sess_" + UUID.randomUUID();
        EngineStubsResource.openai.answer(Answer.text("We looked at Initech."));
        try (var transcripts = kafka.read(Topics.TRANSCRIPTS)) {
            Chunks.sendUtterance(kafka, "scripted", session, Track.CUSTOMER, "item_1", 0, ONE_CHUNK, true,
                    Chunks.settings(null, null, List.of("Globex")));
            var first = finalOf(transcripts, session, "item_1");
            assertThat(first.engine()).isEqualTo("scripted");
            assertThat(first.text()).contains("[Acme Cloud, Globex]"); // tenant list + session list

            int before = EngineStubsResource.openai.received().size();
            Chunks.sendUtterance(kafka, "scripted", session, Track.CUSTOMER, "item_2", 160, ONE_CHUNK, true,
                    Chunks.settings("openai", "de-DE", List.of("Initech", "Hooli")));
            var second = finalOf(transcripts, session, "item_2");
            assertThat(second.engine()).isEqualTo("openai-compatible");
            assertThat(second.text()).isEqualTo("We looked at Initech.");
            assertThat(EngineStubsResource.openai.received()).hasSize(before + 1);
            assertThat(EngineStubsResource.openai.received().getLast().field("prompt")).isEqualTo("Acme Cloud, Initech, Hooli");
            assertThat(EngineStubsResource.openai.received().getLast().field("language")).isEqualTo("de");

            Chunks.sendUtterance(kafka, "scripted", session, Track.CUSTOMER, "item_3", 320, ONE_CHUNK, true,
                    Chunks.settings("scripted", null, List.of()));
            var third = finalOf(transcripts, session, "item_3");
            assertThat(third.engine()).isEqualTo("scripted");
            assertThat(third.text()).endsWith("done [Acme Cloud]"); // an empty list: the tenant's phrases only

            // settings on a later chunk do not change an utterance that began without them
            Chunks.sendUtterance(kafka, "scripted", session, Track.CUSTOMER, "item_4", 480, ONE_CHUNK, false);
            Chunks.sendUtterance(kafka, "scripted", session, Track.CUSTOMER, "item_4", 640, ONE_CHUNK, true,
                    Chunks.settings("openai", "de-DE", List.of("Initech")));
            var fourth = finalOf(transcripts, session, "item_4");
            assertThat(fourth.engine()).isEqualTo("scripted");
            assertThat(fourth.text()).isEqualTo("heard 2 chunks done [Acme Cloud]");
            assertThat(EngineStubsResource.openai.received()).hasSize(before + 1);
        }
    }

    @Test
    void anUnknownEngineIsReportedOnceAndTheSessionStaysOnItsEngine() {
        String session = "sess_" + UUID.randomUUID();
        try (var transcripts = kafka.read(Topics.TRANSCRIPTS)) {
            Chunks.sendUtterance(kafka, "scripted", session, Track.AGENT, "item_1", 0, ONE_CHUNK, true,
                    Chunks.settings("martian-asr", null, null));
            Chunks.sendUtterance(kafka, "scripted", session, Track.AGENT, "item_2", 160, ONE_CHUNK, true,
                    Chunks.settings("martian-asr", null, List.of("Globex")));

            var failed = transcripts.awaitOne(r -> isType(r, session, EventTypes.TRANSCRIPT_FAILED), WAIT);
            assertThat(failed.envelope().eventId()).isEqualTo(TranscriptPublisher.failureId(session, "engine/martian-asr"));
            assertThat(failed.envelope().tenantId()).isEqualTo("scripted");
            var payload = failed.envelope().payloadAs(TranscriptFailed.class);
            assertThat(payload.code()).isEqualTo("engine_unavailable");
            assertThat(payload.utteranceId()).isNull();
            assertThat(payload.track()).isNull();
            assertThat(payload.engine()).isEqualTo("martian-asr");
            assertThat(payload.message()).contains("martian-asr", "stays on scripted");

            assertThat(finalOf(transcripts, session, "item_1").engine()).isEqualTo("scripted");
            var transcript = finalOf(transcripts, session, "item_2");
            assertThat(transcript.engine()).isEqualTo("scripted");
            assertThat(transcript.text()).endsWith("[Acme Cloud, Globex]"); // the rest of the settings applied
            // the report is sent before the final of the utterance that asked, on the same partition
            assertThat(transcripts.envelopes(session, EventTypes.TRANSCRIPT_FAILED)).hasSize(1);
        }
    }

    @Test
    void anEngineThatIsNotEnabledHereIsReportedAndTheTenantDefaultServes() {
        String session = "sess_" + UUID.randomUUID();
        try (var transcripts = kafka.read(Topics.TRANSCRIPTS)) {
            // whisper exists but has no model configured in the tests: not enabled
            Chunks.sendUtterance(kafka, "scripted", session, Track.CUSTOMER, "item_1", 0, ONE_CHUNK, true,
                    Chunks.settings("whisper", null, List.of("Initech")));

            var failed = transcripts.awaitOne(r -> isType(r, session, EventTypes.TRANSCRIPT_FAILED), WAIT).envelope()
                    .payloadAs(TranscriptFailed.class);
            assertThat(failed.code()).isEqualTo("engine_unavailable");
            assertThat(failed.engine()).isEqualTo("whisper");
            assertThat(failed.message()).contains("enabled: [deepgram, openai-compatible, pocketsphinx, scripted]");

            var transcript = finalOf(transcripts, session, "item_1");
            assertThat(transcript.engine()).isEqualTo("scripted");
            assertThat(transcript.text()).endsWith("[Acme Cloud, Initech]");
        }
    }

    @Test
    void anotherTenantCannotDecodeOrReportOnASessionsAudio() {
        String session = "sess_" + UUID.randomUUID();
        int openAiCalls = EngineStubsResource.openai.received().size();
        try (var transcripts = kafka.read(Topics.TRANSCRIPTS); var dlq = kafka.read(Topics.deadLetter(Topics.AUDIO))) {
            Chunks.sendUtterance(kafka, "scripted", session, Track.AGENT, "item_1", 0, ONE_CHUNK, true);
            assertThat(finalOf(transcripts, session, "item_1").engine()).isEqualTo("scripted");

            Chunks.sendUtterance(kafka, "globex", session, Track.AGENT, "item_2", 160, ONE_CHUNK, true,
                    Chunks.settings("openai-compatible", "fr-FR", List.of("Globex rules")));
            Chunks.sendUtterance(kafka, "globex", session, Track.AGENT, "item_3", 320, ONE_CHUNK, true,
                    Chunks.settings("martian-asr", null, null));
            assertThat(dlq.await(r -> session.equals(r.key()), 2, WAIT)).hasSize(2);

            Chunks.sendUtterance(kafka, "scripted", session, Track.AGENT, "item_4", 480, ONE_CHUNK, true);
            var owners = finalOf(transcripts, session, "item_4");
            assertThat(owners.engine()).isEqualTo("scripted");
            assertThat(owners.text()).isEqualTo("heard 1 chunks done [Acme Cloud]");
            assertThat(transcripts.envelopes(session, EventTypes.TRANSCRIPT_FINAL))
                    .extracting(e -> e.payloadAs(Transcript.class).utteranceId()).containsExactly("item_1", "item_4");
            assertThat(transcripts.envelopes(session, EventTypes.TRANSCRIPT_FAILED)).isEmpty();
            assertThat(EngineStubsResource.openai.received()).hasSize(openAiCalls);
        }
    }

    @Test
    void aTenantsConfiguredEngineIsItsDefault() {
        String session = "sess_" + UUID.randomUUID();
        EngineStubsResource.openai.answer(Answer.text("configured per tenant"));
        try (var transcripts = kafka.read(Topics.TRANSCRIPTS)) {
            Chunks.sendUtterance(kafka, "whisperco", session, Track.AGENT, "item_1", 0, ONE_CHUNK, true);
            assertThat(finalOf(transcripts, session, "item_1").engine()).isEqualTo("openai-compatible");
        }
    }

    @Test
    void aTenantWithoutThePermissionGetsItsDefaultEngineAndOneEngineNotAllowed() {
        String session = "sess_" + UUID.randomUUID();
        String marker = "Onbox" + UUID.randomUUID().toString().replace("-", "");
        try (var transcripts = kafka.read(Topics.TRANSCRIPTS)) {
            // tenant onbox: default scripted, no allowed-engines, so the global "local" applies
            Chunks.sendUtterance(kafka, "onbox", session, Track.CUSTOMER, "item_1", 0, ONE_CHUNK, true,
                    Chunks.settings("openai", null, List.of(marker)));
            Chunks.sendUtterance(kafka, "onbox", session, Track.CUSTOMER, "item_2", 160, ONE_CHUNK, true,
                    Chunks.settings("deepgram", null, List.of(marker)));
            Chunks.sendUtterance(kafka, "onbox", session, Track.CUSTOMER, "item_3", 320, ONE_CHUNK, true,
                    Chunks.settings("openai", null, List.of(marker)));

            for (String item : List.of("item_1", "item_2", "item_3")) {
                var transcript = finalOf(transcripts, session, item);
                assertThat(transcript.engine()).isEqualTo("scripted");
                assertThat(transcript.text()).isEqualTo("heard 1 chunks done [" + marker + "]");
            }
            var failures = transcripts.envelopes(session, EventTypes.TRANSCRIPT_FAILED);
            assertThat(failures).extracting(e -> e.eventId()).containsExactlyInAnyOrder(
                    TranscriptPublisher.failureId(session, "engine/openai"),
                    TranscriptPublisher.failureId(session, "engine/deepgram"));
            assertThat(failures).extracting(e -> e.payloadAs(TranscriptFailed.class))
                    .allSatisfy(failed -> {
                        assertThat(failed.code()).isEqualTo("engine_not_allowed");
                        assertThat(failed.utteranceId()).isNull();
                        assertThat(failed.message()).contains("not allowed for this tenant", "stays on scripted");
                    })
                    .extracting(TranscriptFailed::engine).containsExactlyInAnyOrder("openai", "deepgram");
        }
        // no byte of the refused tenant's audio reached either external engine
        assertThat(EngineStubsResource.openai.received()).noneMatch(r -> r.bodyText().contains(marker));
        assertThat(EngineStubsResource.deepgram.connections()).noneMatch(c -> c.query().contains(marker));
    }

    @Test
    void aPermittedTenantGetsTheExternalEngineItAskedFor() {
        String session = "sess_" + UUID.randomUUID();
        String marker = "Allowed" + UUID.randomUUID().toString().replace("-", "");
        EngineStubsResource.openai.answer(Answer.text("sent to the cloud"));
        try (var transcripts = kafka.read(Topics.TRANSCRIPTS)) {
            // tenant scripted: allowed-engines=local,openai-compatible
            Chunks.sendUtterance(kafka, "scripted", session, Track.CUSTOMER, "item_1", 0, ONE_CHUNK, true,
                    Chunks.settings("openai", null, List.of(marker)));
            Chunks.sendUtterance(kafka, "scripted", session, Track.CUSTOMER, "item_2", 160, ONE_CHUNK, true,
                    Chunks.settings("deepgram", null, List.of(marker)));

            var first = finalOf(transcripts, session, "item_1");
            assertThat(first.engine()).isEqualTo("openai-compatible");
            assertThat(first.text()).isEqualTo("sent to the cloud");
            assertThat(finalOf(transcripts, session, "item_2").engine()).isEqualTo("scripted"); // not on its list
            var failed = transcripts.awaitOne(r -> isType(r, session, EventTypes.TRANSCRIPT_FAILED), WAIT).envelope()
                    .payloadAs(TranscriptFailed.class);
            assertThat(failed.code()).isEqualTo("engine_not_allowed");
            assertThat(failed.engine()).isEqualTo("deepgram");
        }
        assertThat(EngineStubsResource.openai.received()).filteredOn(r -> r.bodyText().contains(marker)).hasSize(1);
        assertThat(EngineStubsResource.deepgram.connections()).noneMatch(c -> c.query().contains(marker));
    }

    @Test
    void aClientsEngineNameReachesTheLogWithoutControlCharacters() {
        var captured = new CopyOnWriteArrayList<String>();
        var handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                captured.add(((ExtLogRecord) record).getFormattedMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        var logger = Logger.getLogger("io.voicecoach.transcription");
        logger.addHandler(handler);
        String session = "sess_" + UUID.randomUUID();
        String forged = "x\r\n2026-12-07 12:00:00 INFO forged line \u001b[31mred\u001b[0m";
        try (var transcripts = kafka.read(Topics.TRANSCRIPTS); var dlq = kafka.read(Topics.deadLetter(Topics.AUDIO))) {
            // a bidi override passes the header check (not an ISO control character): refused, logged as '?'
            Chunks.sendUtterance(kafka, "onbox", session, Track.AGENT, "item_1", 0, ONE_CHUNK, true,
                    Chunks.settings("deep\u202Egram", null, null));
            // CR/LF, ANSI escapes, a huge name and a phrase list quoting them: the chunk goes to the DLQ, logged
            Chunks.sendUtterance(kafka, "onbox", session, Track.AGENT, "item_2", 160, ONE_CHUNK, true,
                    Chunks.settings(forged, null, null));
            Chunks.sendUtterance(kafka, "onbox", session, Track.AGENT, "item_3", 320, ONE_CHUNK, true,
                    Chunks.settings("a".repeat(10_000), null, null));
            var badPhrases = new HashMap<String, String>();
            badPhrases.put(AudioHeaders.PHRASES, "[" + forged);
            Chunks.sendUtterance(kafka, "onbox", session, Track.AGENT, "item_4", 480, ONE_CHUNK, true, badPhrases);

            assertThat(finalOf(transcripts, session, "item_1").engine()).isEqualTo("scripted");
            assertThat(dlq.await(r -> session.equals(r.key()), 3, WAIT)).hasSize(3);
            await().atMost(WAIT).until(() -> captured.stream().filter(m -> m.contains(session)
                    || m.startsWith("rejecting audio chunk")).count() >= 4);
        } finally {
            logger.removeHandler(handler);
        }
        assertThat(captured).anyMatch(m -> m.contains("'deep?gram'"));
        assertThat(captured).anyMatch(m -> m.contains("forged line ?[31mred"));
        assertThat(captured).allSatisfy(message -> {
            assertThat(message).doesNotContain("\r", "\n", "\u001b", "\u202E");
            assertThat(message.length()).isLessThan(1000);
        });
    }

    private Transcript finalOf(KafkaTestClient.TopicReader transcripts, String session, String utterance) {
        return transcripts.awaitOne(r -> isType(r, session, EventTypes.TRANSCRIPT_FINAL)
                && utterance.equals(r.envelope().payloadAs(Transcript.class).utteranceId()), WAIT).envelope().payloadAs(Transcript.class);
    }

    private static boolean isType(KafkaTestClient.Received r, String session, String type) {
        return r.envelope() != null && session.equals(r.envelope().sessionId()) && type.equals(r.envelope().type());
    }
}
