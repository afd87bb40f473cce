package io.voicecoach.gateway.realtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicecoach.events.BattleCard;
import io.voicecoach.events.Citation;
import io.voicecoach.events.ComplianceChecklist;
import io.voicecoach.events.StageChanged;
import io.voicecoach.events.Suggestion;
import io.voicecoach.gateway.audio.InputAudioFormat;
import io.voicecoach.gateway.session.SessionSettings;
import io.voicecoach.gateway.session.TranscriptionOptions;
import io.voicecoach.gateway.session.VoiceCoachSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Server frames stay as clients (and their tests) know them: the expected text is what the gateway wrote before the
 * protocol became records (the former ObjectNode builders), field names and order included, plus the GA fields added
 * since (a response's {@code conversation_id}, {@code output_modalities} and {@code status_details}; the session's
 * response settings and turn-detection flags as they are served); only {@code event_id} differs per frame.
 */
class ServerEventFramesTest {

    private static final BattleCard CARD = new BattleCard("card_price", "objection", "Globex", "Price",
            "We win on TCO", List.of("TCO", "ROI"));
    private static final Suggestion SUGGESTION = new Suggestion("sug_1", "item_1", "objection", "price",
            "Price objection", "Anchor on value", 0.87, "rules", 2, CARD, Instant.parse("2026-12-06T10:00:01.250Z"),
            Instant.parse("2026-12-06T10:00:00Z"),
            List.of(new Citation("doc_1", "Pricing FAQ", 3, "Annual plans save 20%", 0.82)));
    private static final Suggestion NUDGE = new Suggestion("sug_2", "item_1", "nudge", "talk_time", "Listen more",
            "Ask a question", 1.0, "nudges", 5, null, null, null, null);

    static Stream<Arguments> frames() throws Exception {
        return Stream.of(
                Arguments.of("speechStarted", new ServerEvent.SpeechStarted(700, "item_1", TrackOption.of("agent")),
                        "{\"event_id\":\"*\",\"type\":\"input_audio_buffer.speech_started\",\"audio_start_ms\":700,"
                        + "\"item_id\":\"item_1\",\"voicecoach\":{\"track\":\"agent\"}}"),
                Arguments.of("speechStopped", new ServerEvent.SpeechStopped(2300, "item_1", TrackOption.of("customer")),
                        "{\"event_id\":\"*\",\"type\":\"input_audio_buffer.speech_stopped\",\"audio_end_ms\":2300,"
                        + "\"item_id\":\"item_1\",\"voicecoach\":{\"track\":\"customer\"}}"),
                Arguments.of("audioCommitted",
                        new ServerEvent.AudioCommitted("item_1", "item_2", TrackOption.of("customer")),
                        "{\"event_id\":\"*\",\"type\":\"input_audio_buffer.committed\",\"previous_item_id\":\"item_1\","
                        + "\"item_id\":\"item_2\",\"voicecoach\":{\"track\":\"customer\"}}"),
                Arguments.of("audioCommittedFirst",
                        new ServerEvent.AudioCommitted(null, "item_1", TrackOption.of("agent")),
                        "{\"event_id\":\"*\",\"type\":\"input_audio_buffer.committed\",\"previous_item_id\":null,"
                        + "\"item_id\":\"item_1\",\"voicecoach\":{\"track\":\"agent\"}}"),
                Arguments.of("audioCleared", new ServerEvent.AudioCleared(null),
                        "{\"event_id\":\"*\",\"type\":\"input_audio_buffer.cleared\"}"),
                Arguments.of("audioClearedTrack", new ServerEvent.AudioCleared(TrackOption.of("agent")),
                        "{\"event_id\":\"*\",\"type\":\"input_audio_buffer.cleared\","
                        + "\"voicecoach\":{\"track\":\"agent\"}}"),
                Arguments.of("itemCreatedText", new ServerEvent.ItemCreated(null, ServerEvent.Item.userMessage("item_t",
                                List.of(new ServerEvent.InputText("Hello"), new ServerEvent.InputText("there")))),
                        "{\"event_id\":\"*\",\"type\":\"conversation.item.created\",\"previous_item_id\":null,"
                        + "\"item\":{\"id\":\"item_t\",\"object\":\"realtime.item\",\"type\":\"message\","
                        + "\"role\":\"user\",\"status\":\"completed\",\"content\":[{\"type\":\"input_text\","
                        + "\"text\":\"Hello\"},{\"type\":\"input_text\",\"text\":\"there\"}]}}"),
                Arguments.of("itemCreatedAudio",
                        new ServerEvent.ItemCreated("item_1", ServerEvent.Item.userAudio("item_2")),
                        "{\"event_id\":\"*\",\"type\":\"conversation.item.created\",\"previous_item_id\":\"item_1\","
                        + "\"item\":{\"id\":\"item_2\",\"object\":\"realtime.item\",\"type\":\"message\","
                        + "\"role\":\"user\",\"status\":\"completed\",\"content\":[{\"type\":\"input_audio\","
                        + "\"transcript\":null}]}}"),
                Arguments.of("transcriptionDelta", new ServerEvent.TranscriptionDelta("item_1", " is too"),
                        "{\"event_id\":\"*\",\"type\":\"conversation.item.input_audio_transcription.delta\","
                        + "\"item_id\":\"item_1\",\"content_index\":0,\"delta\":\" is too\"}"),
                Arguments.of("transcriptionCompleted",
                        new ServerEvent.TranscriptionCompleted("item_1", "the price is too high"),
                        "{\"event_id\":\"*\",\"type\":\"conversation.item.input_audio_transcription.completed\","
                        + "\"item_id\":\"item_1\",\"content_index\":0,\"transcript\":\"the price is too high\"}"),
                Arguments.of("transcriptionFailed",
                        new ServerEvent.TranscriptionFailed("item_1", "engine_timeout", "did not answer"),
                        "{\"event_id\":\"*\",\"type\":\"conversation.item.input_audio_transcription.failed\","
                        + "\"item_id\":\"item_1\",\"content_index\":0,\"error\":{\"type\":\"transcription_error\","
                        + "\"code\":\"engine_timeout\",\"message\":\"did not answer\",\"param\":null}}"),
                Arguments.of("responseCreated", new ServerEvent.ResponseCreated(ServerEvent.Response.inProgress("resp_1", "conv_1", null, null)),
                        "{\"event_id\":\"*\",\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\","
                        + "\"object\":\"realtime.response\",\"status\":\"in_progress\",\"conversation_id\":\"conv_1\","
                        + "\"output_modalities\":[\"text\"],\"output\":[]}}"),
                Arguments.of("responseTextDelta", new ServerEvent.ResponseTextDelta("resp_1", "item_r", "Hi"),
                        "{\"event_id\":\"*\",\"type\":\"response.output_text.delta\",\"response_id\":\"resp_1\","
                        + "\"item_id\":\"item_r\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hi\"}"),
                Arguments.of("responseTextDone", new ServerEvent.ResponseTextDone("resp_1", "item_r", "Hi there"),
                        "{\"event_id\":\"*\",\"type\":\"response.output_text.done\",\"response_id\":\"resp_1\","
                        + "\"item_id\":\"item_r\",\"output_index\":0,\"content_index\":0,\"text\":\"Hi there\"}"),
                Arguments.of("functionCallDone", new ServerEvent.FunctionCallArgumentsDone("resp_1", "item_f", "call_1",
                                "book_appointment", "{\"day\":\"mon\"}"),
                        "{\"event_id\":\"*\",\"type\":\"response.function_call_arguments.done\","
                        + "\"response_id\":\"resp_1\",\"item_id\":\"item_f\",\"output_index\":0,\"call_id\":\"call_1\","
                        + "\"name\":\"book_appointment\",\"arguments\":\"{\\\"day\\\":\\\"mon\\\"}\"}"),
                Arguments.of("responseDone", new ServerEvent.ResponseDone(ServerEvent.Response.ended("resp_1", "completed", null, "conv_1", List.of(), null, ServerEvent.ResponseNotes.delivered("Hi there"))),
                        "{\"event_id\":\"*\",\"type\":\"response.done\",\"response\":{\"id\":\"resp_1\","
                        + "\"object\":\"realtime.response\",\"status\":\"completed\",\"conversation_id\":\"conv_1\","
                        + "\"output_modalities\":[\"text\"],\"output\":[],\"voicecoach\":{\"delivered_text\":\"Hi there\"}}}"),
                Arguments.of("responseDoneCancelled", new ServerEvent.ResponseDone(ServerEvent.Response.ended("resp_1", "cancelled", new ServerEvent.StatusDetails("cancelled", "turn_detected", null), "conv_1", List.of(), null, null)),
                        "{\"event_id\":\"*\",\"type\":\"response.done\",\"response\":{\"id\":\"resp_1\","
                        + "\"object\":\"realtime.response\",\"status\":\"cancelled\","
                        + "\"status_details\":{\"type\":\"cancelled\",\"reason\":\"turn_detected\"},"
                        + "\"conversation_id\":\"conv_1\",\"output_modalities\":[\"text\"],\"output\":[]}}"),
                Arguments.of("suggestion",
                        ServerEvent.CoachingSuggestion.of(SUGGESTION, Instant.parse("2026-12-06T10:00:01.300Z")),
                        "{\"event_id\":\"*\",\"type\":\"voicecoach.coaching.suggestion\","
                        + "\"suggestion\":{\"id\":\"sug_1\",\"item_id\":\"item_1\",\"kind\":\"objection\","
                        + "\"category\":\"price\",\"title\":\"Price objection\",\"message\":\"Anchor on value\","
                        + "\"confidence\":0.87,\"source\":\"rules\",\"priority\":2,\"card\":{\"id\":\"card_price\","
                        + "\"category\":\"objection\",\"competitor\":\"Globex\",\"title\":\"Price\","
                        + "\"body\":\"We win on TCO\",\"talking_points\":[\"TCO\",\"ROI\"]},"
                        + "\"timings\":{\"received_at\":\"2026-12-06T10:00:00Z\","
                        + "\"transcript_at\":\"2026-12-06T10:00:01.250Z\","
                        + "\"suggested_at\":\"2026-12-06T10:00:01.300Z\"},"
                        + "\"citations\":[{\"document_id\":\"doc_1\",\"document_title\":\"Pricing FAQ\","
                        + "\"chunk_index\":3,\"excerpt\":\"Annual plans save 20%\",\"score\":0.82}]}}"),
                Arguments.of("suggestionBare",
                        ServerEvent.CoachingSuggestion.of(NUDGE, Instant.parse("2026-12-06T10:00:02Z")),
                        "{\"event_id\":\"*\",\"type\":\"voicecoach.coaching.suggestion\","
                        + "\"suggestion\":{\"id\":\"sug_2\",\"item_id\":\"item_1\",\"kind\":\"nudge\","
                        + "\"category\":\"talk_time\",\"title\":\"Listen more\",\"message\":\"Ask a question\","
                        + "\"confidence\":1.0,\"source\":\"nudges\",\"priority\":5,\"timings\":{\"received_at\":null,"
                        + "\"transcript_at\":null,\"suggested_at\":\"2026-12-06T10:00:02Z\"},\"citations\":[]}}"),
                Arguments.of("stageChanged", ServerEvent.StageChangedFrame.of(
                                new StageChanged("spin", "problem", "situation", "item_1", 4200)),
                        "{\"event_id\":\"*\",\"type\":\"voicecoach.stage.changed\",\"methodology\":\"spin\","
                        + "\"stage\":\"problem\",\"previous_stage\":\"situation\",\"item_id\":\"item_1\","
                        + "\"at_ms\":4200}"),
                Arguments.of("checklist", ServerEvent.ChecklistFrame.of(new ComplianceChecklist(List.of(
                                new ComplianceChecklist.Item("recording_notice", "must_say", "said", "Say it", 60000,
                                        "item_1")), true)),
                        "{\"event_id\":\"*\",\"type\":\"voicecoach.compliance.checklist\",\"items\":[{"
                        + "\"rule_id\":\"recording_notice\",\"kind\":\"must_say\",\"status\":\"said\","
                        + "\"message\":\"Say it\",\"within_ms\":60000,\"item_id\":\"item_1\"}],\"closed\":true}"),
                Arguments.of("battleCard", new ServerEvent.CoachingBattleCard("sug_1", "item_1",
                                ServerEvent.Card.of(new BattleCard("c", "cat", null, "T", "B", null))),
                        "{\"event_id\":\"*\",\"type\":\"voicecoach.coaching.battle_card\",\"suggestion_id\":\"sug_1\","
                        + "\"item_id\":\"item_1\",\"card\":{\"id\":\"c\",\"category\":\"cat\",\"competitor\":null,"
                        + "\"title\":\"T\",\"body\":\"B\",\"talking_points\":[]}}"),
                Arguments.of("error", ServerEvent.ErrorEvent.of(RealtimeError.invalidEvent(
                                "input_text needs a non-empty text", "item.content[0].text"), "evt_c1"),
                        "{\"event_id\":\"*\",\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                        + "\"code\":\"invalid_event\",\"message\":\"input_text needs a non-empty text\","
                        + "\"param\":\"item.content[0].text\",\"event_id\":\"evt_c1\"}}"),
                Arguments.of("errorInternal",
                        ServerEvent.ErrorEvent.of(RealtimeError.internal("the event could not be processed"), null),
                        "{\"event_id\":\"*\",\"type\":\"error\",\"error\":{\"type\":\"server_error\","
                        + "\"code\":\"internal_error\",\"message\":\"the event could not be processed\",\"param\":null,"
                        + "\"event_id\":null}}"),
                Arguments.of("sessionCreated",
                        ServerEvent.SessionCreated.of("sess_1", SessionSettings.defaults("sess_1")),
                        "{\"event_id\":\"*\",\"type\":\"session.created\",\"session\":{\"id\":\"sess_1\","
                        + "\"object\":\"realtime.session\",\"type\":\"realtime\","
                        + "\"audio\":{\"input\":{\"format\":{\"type\":\"audio/pcm\",\"rate\":24000},"
                        + "\"turn_detection\":{\"type\":\"server_vad\",\"threshold\":0.5,\"prefix_padding_ms\":300,"
                        + "\"silence_duration_ms\":500,\"idle_timeout_ms\":null,\"create_response\":true,"
                        + "\"interrupt_response\":true},\"transcription\":null,\"noise_reduction\":null}},"
                        + "\"output_modalities\":[\"text\"],\"max_output_tokens\":\"inf\",\"truncation\":\"auto\","
                        + "\"tools\":[],\"tool_choice\":\"auto\",\"voicecoach\":{\"mode\":\"coach\","
                        + "\"call_id\":\"sess_1\",\"rep_id\":null,\"role\":\"rep\",\"metadata\":{},\"phrases\":[],"
                        + "\"tracks\":[\"agent\",\"customer\"]}}}"),
                Arguments.of("sessionUpdated", ServerEvent.SessionUpdated.of("sess_1", updatedSettings()),
                        "{\"event_id\":\"*\",\"type\":\"session.updated\",\"session\":{\"id\":\"sess_1\","
                        + "\"object\":\"realtime.session\",\"type\":\"realtime\",\"instructions\":\"Be brief.\","
                        + "\"tools\":[{\"type\":\"function\",\"name\":\"lookup\"}],"
                        + "\"audio\":{\"output\":{\"voice\":\"alloy\",\"format\":{\"type\":\"audio/pcm\",\"rate\":24000},\"speed\":1.0},"
                        + "\"input\":{\"noise_reduction\":null,"
                        + "\"format\":{\"type\":\"audio/pcmu\",\"rate\":8000},\"turn_detection\":null,"
                        + "\"transcription\":{\"model\":\"whisper-1\",\"language\":\"en\",\"prompt\":null}}},"
                        + "\"input_audio_format\":\"g711_ulaw\",\"turn_detection\":null,"
                        + "\"input_audio_transcription\":{\"model\":\"whisper-1\",\"language\":\"en\",\"prompt\":null},"
                        + "\"output_modalities\":[\"text\"],\"max_output_tokens\":\"inf\",\"truncation\":\"auto\","
                        + "\"tool_choice\":\"auto\",\"voicecoach\":{\"mode\":\"agent\",\"call_id\":\"call_9\",\"rep_id\":\"rep_7\","
                        + "\"role\":\"rep\",\"metadata\":{\"crm\":\"hubspot\"},\"phrases\":[\"Acme\",\"Globex\"],"
                        + "\"tracks\":[\"agent\",\"customer\"]}}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void framesKeepTheirFieldsAndOrder(String name, ServerEvent event, String expected) {
        String frame = RealtimeJson.frame(event);
        String eventId = RealtimeJson.eventIdOf(frame);
        assertThat(eventId).startsWith("evt_").hasSize(26);
        assertThat(frame.replace("\"event_id\":\"" + eventId + "\"", "\"event_id\":\"*\"")).isEqualTo(expected);
    }

    @Test
    void framesReadBackAsTheirEventsAndBetaNamesAreAccepted() throws Exception {
        var delta = new ServerEvent.ResponseTextDelta("resp_1", "item_r", "Hi");
        assertThat(RealtimeJson.readServerEvent(RealtimeJson.frame(delta))).isEqualTo(delta);
        assertThat(RealtimeJson.readServerEvent("{\"type\":\"response.text.delta\",\"response_id\":\"resp_1\","
                + "\"item_id\":\"item_r\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hi\"}")).isEqualTo(delta);
        assertThat(RealtimeJson.readServerEvent("{\"type\":\"response.text.done\",\"text\":\"Hi there\"}"))
                .isInstanceOf(ServerEvent.ResponseTextDone.class);
        var item = new ServerEvent.ItemCreated("item_1", ServerEvent.Item.userAudio("item_2"));
        assertThat(RealtimeJson.readServerEvent(RealtimeJson.frame(item))).isEqualTo(item);
    }

    /** What a session.update with GA, beta and VoiceCoach fields leaves (the echo keeps the client's order). */
    private static SessionSettings updatedSettings() throws Exception {
        var sent = (ObjectNode) new ObjectMapper().readTree("{\"type\":\"realtime\",\"instructions\":\"Be brief.\","
                + "\"tools\":[{\"type\":\"function\",\"name\":\"lookup\"}],\"audio\":{\"output\":{\"voice\":\"alloy\"},"
                + "\"input\":{\"noise_reduction\":null}},\"input_audio_format\":\"g711_ulaw\",\"turn_detection\":null,"
                + "\"input_audio_transcription\":{\"model\":\"whisper-1\"},\"voicecoach\":{\"mode\":\"agent\"}}");
        var voicecoach = new VoiceCoachSettings("agent", "call_9", "rep_7", Map.of("crm", "hubspot"), "rep");
        return new SessionSettings(voicecoach, null, InputAudioFormat.MULAW_8K, null,
                new TranscriptionOptions("whisper-1", "en", null, List.of("Acme", "Globex")), null)
                .withRealtimeFields(sent);
    }
}
