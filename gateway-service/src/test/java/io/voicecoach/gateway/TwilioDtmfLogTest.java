package io.voicecoach.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.voicecoach.devstack.DevstackTestResource;
import io.voicecoach.devstack.KafkaTestClient;
import io.voicecoach.events.EventTypes;
import io.voicecoach.events.SessionStarted;
import io.voicecoach.events.Topics;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.voicecoach.gateway.RealtimeClient.WAIT;
import static io.voicecoach.gateway.TestEvents.DEMO_KEY;
import static io.voicecoach.gateway.TestEvents.websocket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 19: DTMF digits (callers key in card numbers) never reach a log record, at DEBUG either: before the stream's
 * {@code start}, while its key is checked, and during the call.
 */
@QuarkusTest
@QuarkusTestResource(value = DevstackTestResource.class,
        initArgs = @ResourceArg(name = DevstackTestResource.SCHEMA, value = "gateway"))
class TwilioDtmfLogTest {

    /** Not a real DTMF digit: a value no other log line could carry by chance. */
    private static final String DIGITS = "4929117503318842";
    private static final List<String> DEBUGGED = List.of("io.voicecoach", "io.quarkus.websockets", "io.vertx");

    @TestHTTPResource("/v1/twilio/media")
    URI twilio;

    private final KafkaTestClient kafka = KafkaTestClient.forSharedBroker();
    private final Capture capture = new Capture();
    private final List<Level> levels = new ArrayList<>();

    @BeforeEach
    void captureDebug() {
        for (String category : DEBUGGED) {
            var logger = Logger.getLogger(category);
            levels.add(logger.getLevel());
            logger.setLevel(Level.FINE);
        }
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void restore() {
        Logger.getLogger("").removeHandler(capture);
        for (int i = 0; i < DEBUGGED.size(); i++) {
            Logger.getLogger(DEBUGGED.get(i)).setLevel(levels.get(i));
        }
        kafka.close();
    }

    @Test
    void dtmfDigitsAreNeverLoggedAtDebug() {
        String callSid = "CA" + UUID.randomUUID().toString().replace("-", "");
        try (var sessions = kafka.read(Topics.SESSIONS);
             var call = new TwilioClient(websocket(twilio), callSid)) {
            call.connected();
            call.dtmf(DIGITS);
            call.start(Map.of("api_key", DEMO_KEY), List.of("inbound"));
            call.dtmf(DIGITS);
            var started = sessions.awaitOne(r -> r.envelope() != null
                    && EventTypes.SESSION_STARTED.equals(r.envelope().type())
                    && callSid.equals(r.envelope().payloadAs(SessionStarted.class).callId()), WAIT);
            call.dtmf(DIGITS);
            call.stop();
            sessions.awaitOne(r -> started.key().equals(r.key()) && r.envelope() != null
                    && EventTypes.SESSION_ENDED.equals(r.envelope().type()), WAIT);
        }

        // the capture works at DEBUG: the handler's own line for each dtmf frame was recorded
        await().atMost(WAIT).until(() -> capture.texts().stream().filter(t -> t.startsWith("twilio dtmf on")).count()
                >= 3);
        assertThat(capture.texts()).isNotEmpty().noneMatch(text -> text.contains(DIGITS));
    }

    /** Every record's message, formatted message, parameters and exception text. */
    private static final class Capture extends Handler {
        private final List<String> texts = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord record) {
            var parts = new StringBuilder();
            if (record instanceof ExtLogRecord ext) {
                parts.append(ext.getFormattedMessage()).append(' ');
            }
            parts.append(record.getMessage());
            if (record.getParameters() != null) {
                parts.append(' ').append(Arrays.toString(record.getParameters()));
            }
            for (var thrown = record.getThrown(); thrown != null; thrown = thrown.getCause()) {
                parts.append(' ').append(thrown);
            }
            texts.add(parts.toString());
        }

        List<String> texts() {
            return List.copyOf(texts);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
