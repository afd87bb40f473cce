package io.voicecoach.coaching.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.voicecoach.coaching.CoachingConfig;
import io.voicecoach.coaching.ConfigStub;
import io.voicecoach.coaching.SessionSequences;
import io.voicecoach.coaching.agent.AgentConfig;
import io.voicecoach.coaching.agent.AgentReplies;
import io.voicecoach.coaching.agent.AgentRounds;
import io.voicecoach.coaching.agent.AgentWorker;
import io.voicecoach.coaching.detect.EngineFactory;
import io.voicecoach.coaching.detect.TenantEngines;
import io.voicecoach.coaching.kb.KbStore;
import io.voicecoach.coaching.kb.KnowledgeBase;
import io.voicecoach.coaching.llm.CallSummaries;
import io.voicecoach.coaching.llm.ChatMessage;
import io.voicecoach.coaching.llm.Conversations;
import io.voicecoach.coaching.llm.LiveCoach;
import io.voicecoach.coaching.llm.LlmClient;
import io.voicecoach.coaching.llm.LlmConfig;
import io.voicecoach.coaching.llm.LlmEvents;
import io.voicecoach.coaching.llm.LlmMetrics;
import io.voicecoach.coaching.nudge.NudgeEngine;
import io.voicecoach.coaching.nudge.NudgeSettings;
import io.voicecoach.coaching.playbook.PlaybookSource;
import io.voicecoach.coaching.suggest.CoachingMetrics;
import io.voicecoach.events.AgentFunctionCall;
import io.voicecoach.events.AgentResponseDone;
import io.voicecoach.events.AgentTextDone;
import io.voicecoach.events.BattleCard;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventCodec;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.ItemCreated;
import io.voicecoach.events.ResponseRequested;
import io.voicecoach.events.SessionEnded;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.SessionUpdated;
import io.voicecoach.events.SpeechStarted;
import io.voicecoach.events.ToolCall;
import io.voicecoach.events.ToolResult;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session logic as a function of (state, event): a session processed in two halves, with its state serialised
 * and read back in between (what a partition move does, through the changelog), gives exactly the outputs, nudges,
 * stage timeline and agent history of one uninterrupted run, at every split point. And without the state (what the
 * diagnostic {@code changelog=false} does) it does not.
 */
class SessionLogicTest {

    private static final String TENANT = "demo";
    private static final String AGENT_TENANT = "agentco";
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private static final String PRICE = "Honestly the price is too high for us this quarter.";

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CoachingConfig coaching = ConfigStub.of(CoachingConfig.class,
            Map.of("embeddings", Map.of("enabled", false)));
    private final LlmConfig llmConfig = ConfigStub.of(LlmConfig.class, Map.of("tenants", Map.of(AGENT_TENANT,
            ConfigStub.of(LlmConfig.Tenant.class, Map.of("enabled", true, "baseUrl", Optional.of("http://127.0.0.1:9/v1"))))));
    private final AgentConfig agentConfig = ConfigStub.of(AgentConfig.class, Map.of());
    private final EngineFactory factory = new EngineFactory(coaching);
    private final PlaybookSource playbooks = new PlaybookSource(coaching);
    private final TenantEngines engines = new TenantEngines(factory, null, playbooks, coaching, null) {
        @Override
        public EngineFactory.Engine cached(String tenantId) {
            return defaultEngine();
        }

        @Override
        public void prefetch(String tenantId) {
        }
    };

    // ---- a coach session: nudges, objections and their cards, cool-downs, stage, compliance ----

    @Test
    void aCoachSessionProcessedInTwoHalvesGivesTheOutputsOfOneRun() {
        var script = coachScript();
        var whole = new Run(new RecordingWorker());
        script.forEach(whole::feed);
        assertThat(whole.outputs).as("the script exercises every kind of output").anySatisfy(o -> assertThat(o)
                .contains("\"category\":\"monologue\"")).anySatisfy(o -> assertThat(o).contains(EventTypes.BATTLE_CARD))
                .anySatisfy(o -> assertThat(o).contains(EventTypes.STAGE_CHANGED))
                .anySatisfy(o -> assertThat(o).contains("\"kind\":\"compliance\""))
                .anySatisfy(o -> assertThat(o).contains("\"kind\":\"buying_signal\""));
        assertThat(whole.outputs).filteredOn(o -> o.contains("\"category\":\"monologue\"")).hasSize(2);
        assertThat(whole.outputs).filteredOn(o -> o.contains(EventTypes.SUGGESTION + " ")
                && o.contains("\"category\":\"price\"")).as("the repeat is held back").hasSize(1);

        for (int split = 1; split < script.size(); split++) {
            var halves = new Run(new RecordingWorker());
            script.subList(0, split).forEach(halves::feed);
            halves.restore(new RecordingWorker());
            script.subList(split, script.size()).forEach(halves::feed);
            assertThat(halves.outputs).as("split after event %d", split).containsExactlyElementsOf(whole.outputs);
            assertThat(halves.stateTree()).as("state after split %d", split).isEqualTo(whole.stateTree());
        }
    }

    @Test
    void withoutItsStateTheSecondHalfDiffers() {
        var script = coachScript();
        var whole = new Run(new RecordingWorker());
        script.forEach(whole::feed);
        var lost = new Run(new RecordingWorker());
        script.subList(0, 6).forEach(lost::feed);
        lost.forget();
        script.subList(6, script.size()).forEach(lost::feed);
        assertThat(lost.outputs).isNotEqualTo(whole.outputs);
    }

    private List<Function<Run, Step>> coachScript() {
        var steps = new ArrayList<Function<Run, Step>>();
        steps.add(run -> Step.session(envelope(TENANT, 0, EventTypes.SESSION_STARTED, 0,
                new SessionStarted("coach", "call", "rep", List.of(Track.AGENT, Track.CUSTOMER), "en", "pcm", null))));
        steps.add(run -> say(TENANT, 1, Track.AGENT, "Just so you know, this call is being recorded. Can you walk me "
                + "through how your team handles renewals today?", 0, 6_000));
        steps.add(run -> say(TENANT, 2, Track.CUSTOMER, PRICE, 6_000, 9_000));
        steps.add(run -> Step.toolResult(envelope(TENANT, 3, EventTypes.TOOL_RESULT, 9_300,
                new ToolResult(callOf(run, 0), "get_battle_card", ToolResult.OK, EventJson.tree(card()), null, 3))));
        steps.add(run -> say(TENANT, 4, Track.CUSTOMER, "It's too expensive, really.", 10_000, 12_000));
        steps.add(run -> say(TENANT, 5, Track.AGENT, "Let me tell you all about us.", 12_000, 80_000));
        steps.add(run -> say(TENANT, 6, Track.AGENT, "Honestly, I guarantee you will double your pipeline in a month.",
                80_000, 84_000));
        steps.add(run -> say(TENANT, 7, Track.CUSTOMER, "That makes sense. How soon could we get started, and what does "
                + "the contract look like?", 85_000, 88_000));
        steps.add(run -> say(TENANT, 8, Track.AGENT, "What frustrates your team most about that?", 89_000, 91_000));
        steps.add(run -> say(TENANT, 9, Track.CUSTOMER, "To be honest, now is not a good time, maybe next quarter.",
                92_000, 95_000));
        steps.add(run -> Step.time(T0.plusSeconds(100)));
        steps.add(run -> say(TENANT, 11, Track.AGENT, "So let me go through the whole roadmap.", 200_000, 270_000));
        steps.add(run -> Step.session(envelope(TENANT, 12, EventTypes.SESSION_ENDED, 280_000,
                new SessionEnded("client_closed", 280_000))));
        return steps;
    }

    // ---- the voice agent: history from the worker's published events, a tool round, a barge-in, a lost worker ----

    @Test
    void anAgentSessionProcessedInTwoHalvesSendsTheLlmTheSameHistory() {
        var script = agentScript();
        var whole = new Run(new RecordingWorker());
        script.forEach(whole::feed);
        assertThat(whole.worker.rounds).hasSize(4);
        assertThat(roles(whole.worker.rounds.get(1).messages())).containsExactly("system", "user", "assistant", "tool");
        assertThat(whole.worker.rounds.get(1).messages().get(2).toolCalls().getFirst().id()).isEqualTo("call_llm_1");
        assertThat(whole.worker.rounds.get(1).messages().get(3).content()).contains("09:00");
        assertThat(roles(whole.worker.rounds.get(3).messages()))
                .containsExactly("system", "user", "assistant", "tool", "assistant", "user", "user");
        assertThat(whole.outputs).filteredOn(o -> o.startsWith(Topics.TOOL_CALLS)).hasSize(1);
        assertThat(whole.outputs).filteredOn(o -> o.contains(EventTypes.AGENT_RESPONSE_DONE))
                .singleElement().satisfies(o -> assertThat(o).contains("cancelled"));

        for (int split = 1; split < script.size(); split++) {
            var halves = new Run(new RecordingWorker());
            script.subList(0, split).forEach(halves::feed);
            halves.restore(new RecordingWorker()); // another instance: other attempt ids, same history
            script.subList(split, script.size()).forEach(halves::feed);
            assertThat(halves.outputs).as("split after event %d", split).containsExactlyElementsOf(whole.outputs);
            var rounds = new ArrayList<>(halves.previousRounds);
            rounds.addAll(halves.worker.rounds);
            assertThat(rounds).extracting(AgentWorker.Round::messages).as("split after event %d", split)
                    .containsExactlyElementsOf(whole.worker.rounds.stream().map(AgentWorker.Round::messages).toList());
        }
    }

    @Test
    void aRoundWhoseWorkerDiedIsRunAgainByTheNewOwnerAndTheDeadAttemptIsIgnored() {
        var script = agentScript();
        var run = new Run(new RecordingWorker());
        script.subList(0, 2).forEach(run::feed);
        var dead = run.lastRound();
        run.restore(new RecordingWorker());

        run.feed(r -> Step.time(T0.plusSeconds(30)));
        var again = run.lastRound();
        assertThat(again.attemptId()).isNotEqualTo(dead.attemptId()).startsWith("2@");
        assertThat(again.messages()).isEqualTo(dead.messages());
        assertThat(again.responseId()).isEqualTo(dead.responseId());

        run.feed(r -> functionCall(10, dead, "call_dead"));
        assertThat(run.outputs).noneMatch(o -> o.startsWith(Topics.TOOL_CALLS));
        run.feed(r -> functionCall(11, again, "call_new"));
        assertThat(run.outputs).filteredOn(o -> o.startsWith(Topics.TOOL_CALLS)).singleElement()
                .satisfies(o -> assertThat(o).contains("call_new"));
    }

    private List<Function<Run, Step>> agentScript() {
        var steps = new ArrayList<Function<Run, Step>>();
        steps.add(run -> Step.session(envelope(AGENT_TENANT, 0, EventTypes.SESSION_STARTED, 0,
                new SessionStarted("agent", "call", null, List.of(Track.CUSTOMER), "en", "pcm", null))));
        steps.add(run -> say(AGENT_TENANT, 1, Track.CUSTOMER, "Can I bring my car in tomorrow?", 0, 2_000));
        steps.add(run -> functionCall(2, run.lastRound(), "call_1"));
        steps.add(run -> Step.toolResult(envelope(AGENT_TENANT, 3, EventTypes.TOOL_RESULT, 3_000,
                new ToolResult("call_1", "get_available_slots", ToolResult.OK,
                        EventJson.MAPPER.createObjectNode().set("slots", EventJson.MAPPER.createArrayNode().add("09:00")),
                        null, 3))));
        steps.add(run -> reply(4, run.lastRound(), EventTypes.AGENT_TEXT_DONE, 3_500,
                new AgentTextDone(run.lastRound().responseId(), "item", "We have 9am."), Map.of()));
        steps.add(run -> reply(5, run.lastRound(), EventTypes.AGENT_RESPONSE_DONE, 3_600,
                new AgentResponseDone(run.lastRound().responseId(), "completed", "We have 9am."), Map.of()));
        steps.add(run -> say(AGENT_TENANT, 6, Track.CUSTOMER, "Great, book it please.", 5_000, 6_000));
        steps.add(run -> Step.session(envelope(AGENT_TENANT, 7, EventTypes.SPEECH_STARTED, 6_500,
                new SpeechStarted(Track.CUSTOMER, "item_barge", 6_500))));
        steps.add(run -> say(AGENT_TENANT, 8, Track.CUSTOMER, "Actually, make it ten.", 6_500, 8_000));
        return steps;
    }

    @Test
    void aClientFunctionRoundProcessedInTwoHalvesKeepsTheCallAndFeedsItsOutputToTheNextReply() {
        var script = clientFunctionScript();
        var whole = new Run(new RecordingWorker());
        script.forEach(whole::feed);
        assertThat(whole.worker.rounds).hasSize(2);
        assertThat(whole.worker.rounds.get(0).clientTools()).extracting(t -> t.path("function").path("name").asText())
                .containsExactly("get_weather");
        assertThat(roles(whole.worker.rounds.get(1).messages())).containsExactly("system", "user", "assistant", "tool");
        assertThat(whole.worker.rounds.get(1).messages().get(3).toolCallId()).isEqualTo("call_llm_weather");
        assertThat(whole.worker.rounds.get(1).messages().get(3).content()).contains("sunny");
        assertThat(whole.outputs).noneMatch(o -> o.startsWith(Topics.TOOL_CALLS));
        assertThat(whole.outputs).filteredOn(o -> o.contains(EventTypes.AGENT_RESPONSE_DONE))
                .singleElement().satisfies(o -> assertThat(o).contains("completed"));

        for (int split = 1; split < script.size(); split++) {
            var halves = new Run(new RecordingWorker());
            script.subList(0, split).forEach(halves::feed);
            halves.restore(new RecordingWorker());
            script.subList(split, script.size()).forEach(halves::feed);
            assertThat(halves.outputs).as("split after event %d", split).containsExactlyElementsOf(whole.outputs);
            var rounds = new ArrayList<>(halves.previousRounds);
            rounds.addAll(halves.worker.rounds);
            assertThat(rounds).extracting(AgentWorker.Round::messages).as("split after event %d", split)
                    .containsExactlyElementsOf(whole.worker.rounds.stream().map(AgentWorker.Round::messages).toList());
            assertThat(rounds).extracting(AgentWorker.Round::clientTools).as("split after event %d", split)
                    .containsExactlyElementsOf(whole.worker.rounds.stream().map(AgentWorker.Round::clientTools).toList());
        }
    }

    private List<Function<Run, Step>> clientFunctionScript() {
        var weather = EventJson.MAPPER.createObjectNode().put("type", "function").put("name", "get_weather");
        weather.putObject("parameters").put("type", "object");
        var steps = new ArrayList<Function<Run, Step>>();
        steps.add(run -> Step.session(envelope(AGENT_TENANT, 0, EventTypes.SESSION_STARTED, 0,
                new SessionStarted("agent", "call", null, List.of(Track.CUSTOMER), "en", "pcm", null))));
        steps.add(run -> Step.session(envelope(AGENT_TENANT, 1, EventTypes.SESSION_UPDATED, 100,
                new SessionUpdated(null, null, null, List.of(), null, Map.of(), List.of(weather), null))));
        steps.add(run -> say(AGENT_TENANT, 2, Track.CUSTOMER, "Is it raining in Paris?", 0, 2_000));
        steps.add(run -> reply(3, run.lastRound(), EventTypes.AGENT_FUNCTION_CALL, 2_500,
                new AgentFunctionCall(run.lastRound().responseId(), "item_fn", "call_weather", "get_weather",
                        "{\"city\": \"Paris\"}", true),
                Map.of(AgentReplies.CALLS, "1", AgentReplies.LLM_CALL_ID, "call_llm_weather", AgentReplies.OFFERED,
                        "false")));
        steps.add(run -> Step.session(envelope(AGENT_TENANT, 4, EventTypes.ITEM_CREATED, 3_000,
                new ItemCreated("item_out", "item_fn", "function_call_output", null, null, "call_weather",
                        "{\"forecast\": \"sunny\"}"))));
        steps.add(run -> Step.session(envelope(AGENT_TENANT, 5, EventTypes.RESPONSE_REQUESTED, 3_100,
                new ResponseRequested("resp_client", null))));
        steps.add(run -> reply(6, run.lastRound(), EventTypes.AGENT_TEXT_DONE, 3_500,
                new AgentTextDone(run.lastRound().responseId(), "item", "No, it is sunny."), Map.of()));
        steps.add(run -> reply(7, run.lastRound(), EventTypes.AGENT_RESPONSE_DONE, 3_600,
                new AgentResponseDone(run.lastRound().responseId(), "completed", "No, it is sunny."), Map.of()));
        return steps;
    }

    private static Step functionCall(int index, AgentWorker.Round round, String callId) {
        return reply(index, round, EventTypes.AGENT_FUNCTION_CALL, 2_500,
                new AgentFunctionCall(round.responseId(), "item", callId, "get_available_slots", "{\"date\": \"2026-11-23\"}"),
                Map.of(AgentReplies.CALLS, "1", AgentReplies.LLM_CALL_ID, "call_llm_1", AgentReplies.OFFERED, "true"));
    }

    private static Step reply(int index, AgentWorker.Round round, String type, long atMs, Object payload,
                              Map<String, String> extra) {
        var headers = new HashMap<>(extra);
        headers.put(AgentReplies.ATTEMPT, round.attemptId());
        return Step.reply(envelope(AGENT_TENANT, index, type, atMs, payload), headers);
    }

    // ---- harness ----

    private record Step(String topic, Envelope event, Map<String, String> headers, Instant time) {
        static Step session(Envelope event) {
            return new Step(Topics.SESSIONS, event, Map.of(), null);
        }

        static Step transcript(Envelope event) {
            return new Step(Topics.TRANSCRIPTS, event, Map.of(), null);
        }

        static Step toolResult(Envelope event) {
            return new Step(Topics.TOOL_RESULTS, event, Map.of(), null);
        }

        static Step reply(Envelope event, Map<String, String> headers) {
            return new Step(Topics.AGENT_REPLIES, event, headers, null);
        }

        static Step time(Instant now) {
            return new Step(null, null, Map.of(), now);
        }
    }

    /** A session's state and what processing it produced, as the processor would keep and forward them. */
    private final class Run {
        RecordingWorker worker;
        SessionLogic logic;
        SessionState state;
        ConversationState conversation = new ConversationState();
        final List<String> outputs = new ArrayList<>();
        final List<AgentWorker.Round> previousRounds = new ArrayList<>();

        Run(RecordingWorker worker) {
            use(worker);
        }

        void use(RecordingWorker next) {
            this.worker = next;
            var llmMetrics = new LlmMetrics(meters);
            var metrics = new CoachingMetrics(meters);
            var llm = new LlmClient(llmConfig, llmMetrics, new io.voicecoach.coaching.llm.LlmPool(llmConfig));
            var events = new LlmEvents(null, new SessionSequences(coaching), metrics, "coaching-service");
            var conversations = new Conversations(llmConfig);
            logic = new SessionLogic(new NudgeEngine(NudgeSettings.defaults()), engines,
                    new KnowledgeBase(new KbStore(), factory, coaching,
                            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()), new AgentRounds(agentConfig, llm, next, conversations),
                    new LiveCoach(llm, llmConfig, events, llmMetrics), new CallSummaries(llm, llmConfig, events, llmMetrics),
                    conversations, metrics, coaching);
        }

        /** The partition moved: a new owner reads the state back from the store (changelog) on another instance. */
        void restore(RecordingWorker next) {
            previousRounds.addAll(worker.rounds);
            state = state == null ? null : StateJson.read(StateJson.write(state), SessionState.class);
            conversation = StateJson.read(StateJson.write(conversation), ConversationState.class);
            use(next);
        }

        /** The partition moved and the state did not follow (no changelog). */
        void forget() {
            state = null;
            conversation = new ConversationState();
        }

        void feed(Function<Run, Step> next) {
            var step = next.apply(this);
            var out = new Outputs();
            var lazy = new LazyConversation(() -> conversation);
            if (step.time() != null) {
                logic.onTime(state, lazy, new Deadlines(0, step.time(), T0, Duration.ofSeconds(2)), out);
            } else {
                if (state == null) {
                    state = logic.newState(step.event().tenantId(), step.event().sessionId());
                }
                var event = EventCodec.typed(step.event());
                switch (step.topic()) {
                    case Topics.TRANSCRIPTS -> logic.onFinalTranscript(state, lazy, event,
                            step.event().payloadAs(Transcript.class), out);
                    case Topics.SESSIONS -> logic.onSessionEvent(state, lazy, event, out);
                    case Topics.TOOL_RESULTS -> logic.onToolResult(state, lazy, event,
                            step.event().payloadAs(ToolResult.class), out);
                    default -> logic.onReplyEvent(state, lazy, event, step.headers(), out);
                }
            }
            out.records().forEach(o -> outputs.add(o.topic() + " " + o.eventId() + " " + o.type() + " "
                    + EventJson.tree(o.payload())));
            out.handOffs().forEach(Runnable::run);
        }

        AgentWorker.Round lastRound() {
            return worker.rounds.isEmpty() ? previousRounds.getLast() : worker.rounds.getLast();
        }

        JsonNode stateTree() {
            try {
                return EventJson.MAPPER.readTree(StateJson.write(state));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Records the rounds handed to it instead of calling an LLM. */
    private final class RecordingWorker extends AgentWorker {
        final List<Round> rounds = new ArrayList<>();

        RecordingWorker() {
            super(null, null, null, null, null, agentConfig, null);
        }

        @Override
        public void start(Round round) {
            rounds.add(round);
        }
    }

    private static String callOf(Run run, int index) {
        return run.outputs.stream().filter(o -> o.startsWith(Topics.TOOL_CALLS)).skip(index).findFirst()
                .map(o -> EventJson.MAPPER.convertValue(tree(o.substring(o.indexOf('{'))), ToolCall.class).callId())
                .orElseThrow();
    }

    private static JsonNode tree(String json) {
        try {
            return EventJson.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Step say(String tenant, int index, String track, String text, long startMs, long endMs) {
        return Step.transcript(envelope(tenant, index, EventTypes.TRANSCRIPT_FINAL, endMs,
                new Transcript("utt_" + index, track, text, true, startMs, endMs, 1.0, "text", T0.plusMillis(endMs))));
    }

    private static Envelope envelope(String tenant, int index, String type, long atMs, Object payload) {
        return new Envelope(UUID.nameUUIDFromBytes((tenant + "/event/" + index).getBytes(StandardCharsets.UTF_8)), type,
                1, tenant, "sess_" + tenant, index, T0.plusMillis(atMs + 20), "test", EventJson.tree(payload));
    }

    private static BattleCard card() {
        return new BattleCard("card_price", "price", null, "Price", "How we answer price", List.of("one", "two"));
    }

    private static List<String> roles(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::role).toList();
    }

}
