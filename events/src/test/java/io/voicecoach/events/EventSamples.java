package io.voicecoach.events;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One payload of every registered event type, with every field set (nulls only where producers leave them out). */
final class EventSamples {

    static final Instant AT = Instant.parse("2026-11-22T10:00:00.123456Z");
    private static final BattleCard CARD = new BattleCard("card_1", "price", null, "On price", "Value first",
            List.of("ROI in 3 months"));

    static List<Payload> all() {
        var json = JsonNodeFactory.instance;
        return List.of(
                new SessionStarted("coach", "call_1", "rep_7", List.of("agent", "customer"), "en-US", "audio/pcm;rate=24000",
                        Map.of("team", "emea")),
                new SessionUpdated("agent", "openai", "en-GB", List.of("Acme Cloud"), "be brief", Map.of("outcome", "won"),
                        List.of(json.objectNode().put("type", "function").put("name", "lookup_order")),
                        json.textNode("auto"), new SpeechOutput(true, "coral", "audio/pcmu")),
                new SessionEnded("client_closed", 5000),
                new SuggestionDelivered("sug_1", "item_1", AT, AT.plusMillis(12)),
                new SpeechStarted(Track.CUSTOMER, "item_2", 1200),
                new ResponseRequested("resp_1", "answer politely"),
                new ResponseCancelRequested("resp_1", "barge_in"),
                new Transcript("item_1", Track.CUSTOMER, "the price", false, 0, 600, 0.5, "pocketsphinx", AT),
                new Transcript("item_1", Track.CUSTOMER, "the price is too high", true, 0, 1200, 1.0, "text", AT),
                new TranscriptFailed("item_3", Track.AGENT, "engine_timeout", "no answer in 15 s", "openai"),
                new Suggestion("sug_1", "item_1", "objection", "price", "Objection: price", "Offer annual", 0.9,
                        "embedding", 1, null, AT, AT.minusMillis(300),
                        List.of(new Citation("doc_1", "Pricing FAQ", 3, "Annual plans save 20%", 0.82))),
                new SuggestionCard("sug_1", "item_1", CARD),
                new StageChanged("spin", "problem", "situation", "item_1", 64000),
                new ComplianceChecklist(List.of(
                        new ComplianceChecklist.Item("recording_notice", ComplianceChecklist.MUST_SAY,
                                ComplianceChecklist.SAID, "Say the call is recorded", 60000, "item_1"),
                        new ComplianceChecklist.Item("guarantee", ComplianceChecklist.MUST_NOT_SAY,
                                ComplianceChecklist.KEPT, "Never promise results", 0, null)), false),
                new LlmUsage("req_1", "coaching", "gpt-4o-mini", 420, 55, 0.0012, 640, "ok"),
                new CallSummary("They want annual pricing.", List.of("send the quote"), "gpt-4o"),
                new AgentResponseCreated("resp_1", new SpeechOutput(true, "coral", "audio/pcmu")),
                new AgentTextDelta("resp_1", "item_9", "Sure, "),
                new AgentTextDone("resp_1", "item_9", "Sure, Tuesday works."),
                new AgentFunctionCall("resp_1", "item_10", "call_1", "get_available_slots", "{\"day\":\"tuesday\"}"),
                new AgentResponseDone("resp_1", "failed", "Sure, Tuesday works.", "llm_rate_limited"),
                new AgentAudioDelta("resp_1", "item_9", 0, "Sure, ", 24000, 0, 200, "AAABAA=="),
                new AgentAudioDone("resp_1", "item_9", 3, "Sure, Tuesday works.", 1400, "espeak-ng", "alloy"),
                new AgentSpeechFailed("resp_1", "item_9", 2, "engine_timeout", "no audio within 10 s", "espeak-ng"),
                new ToolCall("call_1", "get_battle_card", json.objectNode().put("category", "price"), "coaching-service",
                        400),
                new ToolResult("call_1", "get_battle_card", ToolResult.ERROR, json.objectNode().put("detail", 1),
                        new ToolError("not_found", "no card"), 12),
                new ItemCreated("item_4", "item_3", "function_call_output", null, null, "call_1", "{\"slots\":[]}"),
                new ItemDeleted("item_2"),
                new ItemTruncated("item_9", 0, 1500, "Sure, Tuesday"),
                new SessionErased(SessionErased.SESSION, "api"));
    }

    private EventSamples() {
    }
}
