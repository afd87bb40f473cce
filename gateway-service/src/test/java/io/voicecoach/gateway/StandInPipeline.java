package io.voicecoach.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.devstack.SharedInfrastructure;
import io.voicecoach.events.AgentFunctionCall;
import io.voicecoach.events.AgentResponseCreated;
import io.voicecoach.events.AgentResponseDone;
import io.voicecoach.events.AgentTextDelta;
import io.voicecoach.events.AgentTextDone;
import io.voicecoach.events.AudioHeaders;
import io.voicecoach.events.Envelope;
import io.voicecoach.events.EventJson;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.ItemCreated;
import io.voicecoach.events.ResponseRequested;
import io.voicecoach.events.SessionUpdated;
import io.voicecoach.events.Topics;
import io.voicecoach.events.Transcript;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;

/**
 * Plays transcription, coaching and the voice agent for the SDK conformance tests, on the real broker: every committed
 * utterance on {@code voice.audio} gets the final transcript {@value #HEARD}; a typed user text that mentions the price
 * gets a coaching suggestion; the voice agent answers the session's {@code response.requested} in turn: the first with
 * a call of the client's function {@value #TOOL}, the second with a text that quotes the function's output (from
 * {@code item.created}), the third with a story it holds open until the caller speaks ({@code speech.started}: the
 * reply ends {@code cancelled}), any later one with {@value #SHORT}. What it saw is kept for the test's assertions.
 */
final class StandInPipeline implements AutoCloseable {

    static final String TOOL = "lookup_order";
    static final String HEARD = "a beep";
    static final String STORY = "Once upon a time, ";
    static final String SHORT = "Anything else?";

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();
    private final List<Envelope> seen = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> requests = new ConcurrentHashMap<>();
    private final Map<String, List<String>> tools = new ConcurrentHashMap<>();
    private final Map<String, String> outputs = new ConcurrentHashMap<>();
    private final Map<String, String> heldStory = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean positioned;

    StandInPipeline() {
        thread = Thread.ofPlatform().daemon().name("stand-in-pipeline").start(this::run);
        await().atMost(Duration.ofSeconds(20)).until(() -> positioned);
    }

    /** The envelopes it read on {@code voice.sessions} and {@code voice.transcripts} for {@code sessionId}. */
    List<Envelope> seen(String sessionId, String type) {
        return seen.stream().filter(e -> e.sessionId().equals(sessionId) && e.type().equals(type)).toList();
    }

    /** The sessions it saw on {@code voice.sessions}, in order of their first event. */
    List<String> sessions() {
        return seen.stream().map(Envelope::sessionId).distinct().toList();
    }

    private void run() {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafka().bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            var partitions = new ArrayList<TopicPartition>();
            for (String topic : List.of(Topics.SESSIONS, Topics.TRANSCRIPTS, Topics.AUDIO)) {
                consumer.partitionsFor(topic, Duration.ofSeconds(10))
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            positioned = true;
            while (running) {
                for (var record : consumer.poll(Duration.ofMillis(50))) {
                    handle(record);
                }
            }
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        if (Topics.AUDIO.equals(record.topic())) {
            var commit = record.headers().lastHeader(AudioHeaders.COMMIT);
            if (commit != null && "true".equals(new String(commit.value(), StandardCharsets.UTF_8))) {
                transcribe(record);
            }
            return;
        }
        Envelope envelope;
        try {
            envelope = EventJson.decode(record.value());
        } catch (RuntimeException notAnEnvelope) {
            return;
        }
        seen.add(envelope);
        String session = envelope.sessionId();
        switch (envelope.type()) {
            case EventTypes.SESSION_UPDATED -> {
                var updated = envelope.payloadAs(SessionUpdated.class);
                if (updated.tools() != null) {
                    tools.put(session, updated.tools().stream().map(t -> t.path("name").asText()).toList());
                }
            }
            case EventTypes.ITEM_CREATED -> {
                var item = envelope.payloadAs(ItemCreated.class);
                if (item.output() != null) {
                    outputs.put(session, item.output());
                }
            }
            case EventTypes.RESPONSE_REQUESTED -> answer(envelope, envelope.payloadAs(ResponseRequested.class));
            case EventTypes.SPEECH_STARTED -> {
                String held = heldStory.remove(session);
                if (held != null) {
                    reply(envelope, EventTypes.AGENT_RESPONSE_DONE, new AgentResponseDone(held, "cancelled", STORY));
                }
            }
            case EventTypes.TRANSCRIPT_FINAL -> {
                var transcript = envelope.payloadAs(Transcript.class);
                if ("text".equals(transcript.engine()) && transcript.text().toLowerCase().contains("price")) {
                    kafka.send(Topics.SUGGESTIONS, TestEvents.suggestion(envelope.tenantId(), session,
                            "sug_" + transcript.utteranceId()));
                }
            }
            default -> {
            }
        }
    }

    private void answer(Envelope request, ResponseRequested requested) {
        String session = request.sessionId();
        String responseId = requested.responseId();
        int turn = requests.merge(session, 1, Integer::sum);
        reply(request, EventTypes.AGENT_RESPONSE_CREATED, new AgentResponseCreated(responseId));
        String itemId = "item_reply_" + turn + "_" + Math.abs(session.hashCode());
        switch (turn) {
            case 1 -> {
                if (tools.getOrDefault(session, List.of()).contains(TOOL)) {
                    reply(request, EventTypes.AGENT_FUNCTION_CALL, new AgentFunctionCall(responseId, itemId,
                            "call_" + itemId, TOOL, "{\"order\":\"A-17\"}"));
                    reply(request, EventTypes.AGENT_RESPONSE_DONE, new AgentResponseDone(responseId, "completed", ""));
                } else {
                    text(request, responseId, itemId, SHORT);
                }
            }
            case 2 -> text(request, responseId, itemId, "Your order A-17 has " + status(outputs.get(session)) + ".");
            case 3 -> {
                heldStory.put(session, responseId);
                reply(request, EventTypes.AGENT_TEXT_DELTA, new AgentTextDelta(responseId, itemId, STORY));
            }
            default -> text(request, responseId, itemId, SHORT);
        }
    }

    private void text(Envelope request, String responseId, String itemId, String text) {
        int half = text.length() / 2;
        reply(request, EventTypes.AGENT_TEXT_DELTA, new AgentTextDelta(responseId, itemId, text.substring(0, half)));
        reply(request, EventTypes.AGENT_TEXT_DELTA, new AgentTextDelta(responseId, itemId, text.substring(half)));
        reply(request, EventTypes.AGENT_TEXT_DONE, new AgentTextDone(responseId, itemId, text));
        reply(request, EventTypes.AGENT_RESPONSE_DONE, new AgentResponseDone(responseId, "completed", text));
    }

    private static String status(String output) {
        if (output == null) {
            return "no status";
        }
        try {
            JsonNode parsed = RealtimeClient.JSON.readTree(output);
            return parsed.path("status").asText("no status");
        } catch (Exception e) {
            return "no status";
        }
    }

    private void transcribe(ConsumerRecord<String, byte[]> chunk) {
        String tenant = header(chunk, AudioHeaders.TENANT_ID);
        String utterance = header(chunk, AudioHeaders.UTTERANCE_ID);
        String track = header(chunk, AudioHeaders.TRACK);
        var transcript = new Transcript(utterance, track, HEARD, true, 0, 600, 0.8, "pocketsphinx", Instant.now());
        kafka.send(Topics.TRANSCRIPTS, Envelope.of(EventTypes.TRANSCRIPT_FINAL, tenant, chunk.key(), 1,
                "transcription-service", transcript));
    }

    private void reply(Envelope request, String type, Object payload) {
        kafka.send(Topics.AGENT_REPLIES, Envelope.of(type, request.tenantId(), request.sessionId(), 1,
                "coaching-service", payload));
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
        kafka.close();
    }
}
