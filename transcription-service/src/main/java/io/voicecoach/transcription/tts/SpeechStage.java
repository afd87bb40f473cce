package io.voicecoach.transcription.tts;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.voicecoach.events.AgentFunctionCall;
import io.voicecoach.events.AgentReplyEvent;
import io.voicecoach.events.AgentResponseCreated;
import io.voicecoach.events.AgentResponseDone;
import io.voicecoach.events.AgentTextDelta;
import io.voicecoach.events.AgentTextDone;
import io.voicecoach.events.Event;
import io.voicecoach.events.SpeechOutput;
import io.voicecoach.events.UnknownEventTypeException;
import io.voicecoach.events.kafka.Decoded;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The speech stage: reads the voice agent's replies ({@code agent.replies}, group
 * {@code transcription-service-speech}) and speaks each text item as it streams, piece by piece, onto
 * {@code agent.speech}, so the first audio leaves before the reply is complete. At most
 * {@code voicecoach.tts.max-concurrent} syntheses run at once.
 * <p>
 * A reply's records are acknowledged only once all its speech is on the broker (the channel commits the offset below
 * the oldest unacknowledged record), so an instance that takes the partition over after a crash reads the reply from
 * its start and speaks it again with the same event ids. A reply whose {@code agent.response.created} this instance
 * did not see began before its offset: its items are spoken from their {@code text_done} (the same pieces, see
 * {@link SentenceChunker}).
 * <p>
 * The created event carries the session's {@link SpeechOutput}: a text-only session's reply is not spoken; otherwise
 * with the session's voice (else the tenant's) at 24 kHz for {@code audio/pcm}, 8 kHz for G.711 outputs. A reply
 * whose created was not seen is spoken with the tenant's voice at 24 kHz.
 * <p>
 * Records are decoded once ({@link Decoded}): one that is no event is parked in {@code agent.replies.dlq} as received;
 * one of a type this version does not know, or of another topic's family, is acknowledged and skipped.
 */
@ApplicationScoped
public class SpeechStage {

    private static final Logger LOG = Logger.getLogger(SpeechStage.class);

    private final TtsConfig config;
    private final SpeechEngines engines;
    private final SpeechPublisher publisher;
    private final ExecutorService pool;
    private final Map<String, Reply> replies = new HashMap<>();

    public SpeechStage(TtsConfig config, SpeechEngines engines, SpeechPublisher publisher) {
        this.config = config;
        this.engines = engines;
        this.publisher = publisher;
        this.pool = Executors.newFixedThreadPool(Math.max(1, config.maxConcurrent()),
                Thread.ofPlatform().daemon().name("speech-", 0).factory());
    }

    /** One reply being spoken: its items and the records held until its speech is published. */
    private final class Reply {
        final String key;
        final boolean streaming;
        /** How the session wants it spoken, null when its created was not seen or said nothing. */
        final SpeechOutput speech;
        final long startedAt = System.nanoTime();
        final Map<String, ItemSpeech> items = new HashMap<>();
        final List<Message<byte[]>> records = new ArrayList<>();

        Reply(String key, boolean streaming, SpeechOutput speech) {
            this.key = key;
            this.streaming = streaming;
            this.speech = speech;
        }

        /** False for a text-only session: its items are not spoken (its records are held and acknowledged alike). */
        boolean spoken() {
            return speech == null || speech.audio();
        }

        ItemSpeech item(Event<?> event, String responseId, String itemId) {
            return items.computeIfAbsent(itemId, id -> {
                String tenant = event.tenantId();
                String voice = speech != null && speech.voice() != null ? speech.voice() : engines.voiceFor(tenant);
                int rate = speech != null ? speech.sampleRate() : SpeechOutput.PCM_RATE;
                var target = new ItemSpeech.Target(tenant, event.sessionId(), responseId, id,
                        engines.engineFor(tenant).orElse(null), engines.engineName(tenant), voice, rate,
                        speech != null ? speech.speedFactor() : 1.0);
                return new ItemSpeech(target, streaming, config, publisher, pool);
            });
        }

        /** After the reply's done: acknowledges its records once every item's speech is published. */
        void release() {
            var all = items.values().stream().map(ItemSpeech::finished).toArray(CompletableFuture[]::new);
            CompletableFuture.allOf(all).whenComplete((ok, failure) -> {
                if (failure == null) {
                    records.forEach(Message::ack);
                }
                // else: held until the reply times out, the partition moves or the instance restarts (spoken again)
            });
        }
    }

    @Incoming("replies-speech")
    public CompletionStage<Void> onReply(Message<byte[]> record) {
        if (!config.enabled()) {
            return record.ack();
        }
        switch (Decoded.of(record.getPayload())) {
            case Decoded.Valid valid when valid.event().payload() instanceof AgentReplyEvent reply -> {
                return handle(valid.event(), reply, record) ? CompletableFuture.completedFuture(null) : record.ack();
            }
            case Decoded.Valid valid -> {
                LOG.debugf("skipping a %s record on agent.replies", valid.event().type());
                return record.ack();
            }
            case Decoded.Invalid invalid when invalid.reason() instanceof UnknownEventTypeException unknown -> {
                LOG.debugf("skipping an agent.replies record of unknown type %s", unknown.type());
                return record.ack();
            }
            case Decoded.Invalid invalid -> {
                LOG.warnf("parking an undecodable agent.replies record: %s", invalid.reason().getMessage());
                return record.nack(invalid.reason());
            }
        }
    }

    /** True when the record is held by a reply (acknowledged with it). */
    private synchronized boolean handle(Event<?> event, AgentReplyEvent payload, Message<byte[]> record) {
        switch (payload) {
            case AgentResponseCreated created -> {
                var reply = replies.computeIfAbsent(key(event, created.responseId()),
                        k -> new Reply(k, true, created.speech()));
                reply.records.add(record);
            }
            case AgentTextDelta delta -> {
                var reply = reply(event, delta.responseId());
                reply.records.add(record);
                if (reply.spoken()) {
                    reply.item(event, delta.responseId(), delta.itemId()).delta(delta.delta());
                } // else held like any reply's, so a new owner of the partition still sees its created
            }
            case AgentTextDone done -> {
                var reply = reply(event, done.responseId());
                reply.records.add(record);
                if (reply.spoken()) {
                    reply.item(event, done.responseId(), done.itemId()).done(done.text());
                }
            }
            case AgentFunctionCall call -> {
                return false; // a tool call is not spoken
            }
            case AgentResponseDone done -> {
                var reply = replies.remove(key(event, done.responseId()));
                if (reply == null) {
                    return false;
                }
                reply.records.add(record);
                reply.items.values().forEach(ItemSpeech::cancel);
                reply.release();
            }
        }
        return true;
    }

    /** The reply a text record belongs to; one whose created was not seen is spoken with the tenant's settings. */
    private Reply reply(Event<?> event, String responseId) {
        return replies.computeIfAbsent(key(event, responseId), k -> new Reply(k, false, null));
    }

    private static String key(Event<?> event, String responseId) {
        return event.tenantId() + "/" + event.sessionId() + "/" + responseId;
    }

    /** Replies whose done never came (their producer died mid-reply): ends their items and lets their records go. */
    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void sweep() {
        long limit = System.nanoTime() - config.replyTimeout().toNanos();
        var stale = replies.values().stream().filter(reply -> reply.startedAt < limit).toList();
        for (var reply : stale) {
            LOG.warnf("reply %s had no agent.response.done for %s; its speech ends here", reply.key,
                    config.replyTimeout());
            replies.remove(reply.key);
            reply.items.values().forEach(ItemSpeech::cancel);
            reply.release();
        }
    }

    void stop(@Observes ShutdownEvent stopping) {
        pool.shutdownNow();
    }
}
