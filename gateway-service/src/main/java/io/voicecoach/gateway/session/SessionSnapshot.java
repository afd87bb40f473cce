package io.voicecoach.gateway.session;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.events.SessionUpdated;
import io.voicecoach.gateway.audio.InputAudioFormat;
import io.voicecoach.gateway.audio.TurnDetection;
import io.voicecoach.gateway.failover.StateJson;
import io.voicecoach.gateway.realtime.ServerEvent;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The latest state of an open session on {@code gateway.sessions} (compacted, key = session id, a tombstone once it
 * ended): everything another gateway instance needs to continue it. JSON, field names as here, with the settings'
 * fields ({@code settings}, {@code realtime}, {@code inputFormat}, {@code turnDetection}, {@code transcription},
 * {@code tracks}) at the top level.
 *
 * @param transport        {@link #REALTIME} (resumable) or {@link #TWILIO} (a media stream: never resumed, only ended)
 * @param updatedAt        when this snapshot was written
 * @param holder           the instance holding the session, null when none does (its instance drained)
 * @param epoch            counts takeovers: an instance that resumes a session held elsewhere writes epoch + 1, and
 *                         the holder of a lower epoch lets the session go
 * @param detachedAt       when the client's connection dropped (or was handed over), null while one is attached
 * @param configured       what the client configured ({@link SessionSettings})
 * @param started          {@code session.started} was acknowledged by Kafka
 * @param announced        the settings last published as {@code session.updated} (the mode is not compared)
 * @param seq              the envelope sequence number reached when this was written; a new holder continues above
 *                         it (numbers between it and the dead holder's last event may repeat: order by offset)
 * @param cursor           what the client had been sent when it detached, or when this was written ({@link Cursor}
 *                         text), null when nothing was
 * @param trackPositionsMs audio position of each track when written from the connection (detach, drain)
 * @param items            the conversation's items, oldest first, as {@code conversation.item.retrieve} shows them
 *                         (bounded by {@code voicecoach.session.max-conversation-items|chars}); absent in snapshots of
 *                         older gateways, whose sessions continue the chain after {@code lastItemId}
 * @param opener           the credential that opened it ({@link SessionOpener}: never a secret); null for a Twilio
 *                         stream and in snapshots of older gateways
 */
@RegisterForReflection(targets = {SessionSettings.class, InputAudioFormat.class, TurnDetection.class,
        TranscriptionOptions.class, VoiceCoachSettings.class, SessionUpdated.class, ServerEvent.Item.class,
        ServerEvent.ItemNotes.class, ServerEvent.InputText.class, ServerEvent.InputAudio.class,
        ServerEvent.OutputText.class, SessionOpener.class})
public record SessionSnapshot(String sessionId, String tenantId, String transport, Instant openedAt, Instant updatedAt,
                              String holder, int epoch, Instant detachedAt, @JsonUnwrapped SessionSettings configured,
                              boolean started, SessionUpdated announced, String lastItemId, long seq, String cursor,
                              Map<String, Long> trackPositionsMs, List<ServerEvent.Item> items,
                              SessionOpener opener) {

    public static final String REALTIME = "realtime";
    public static final String TWILIO = "twilio";

    public SessionSnapshot {
        trackPositionsMs = trackPositionsMs == null ? Map.of() : Map.copyOf(trackPositionsMs);
        items = items == null ? List.of() : List.copyOf(items);
    }

    public SessionSnapshot(String sessionId, String tenantId, String transport, Instant openedAt, Instant updatedAt,
                           String holder, int epoch, Instant detachedAt, SessionSettings configured, boolean started,
                           SessionUpdated announced, String lastItemId, long seq, String cursor,
                           Map<String, Long> trackPositionsMs) {
        this(sessionId, tenantId, transport, openedAt, updatedAt, holder, epoch, detachedAt, configured, started,
                announced, lastItemId, seq, cursor, trackPositionsMs, List.of(), null);
    }

    public SessionSnapshot(String sessionId, String tenantId, String transport, Instant openedAt, Instant updatedAt,
                           String holder, int epoch, Instant detachedAt, SessionSettings configured, boolean started,
                           SessionUpdated announced, String lastItemId, long seq, String cursor,
                           Map<String, Long> trackPositionsMs, List<ServerEvent.Item> items) {
        this(sessionId, tenantId, transport, openedAt, updatedAt, holder, epoch, detachedAt, configured, started,
                announced, lastItemId, seq, cursor, trackPositionsMs, items, null);
    }

    /** This snapshot naming {@code opener} (a test writes another instance's snapshot with it). */
    public SessionSnapshot openedBy(SessionOpener opener) {
        return new SessionSnapshot(sessionId, tenantId, transport, openedAt, updatedAt, holder, epoch, detachedAt,
                configured, started, announced, lastItemId, seq, cursor, trackPositionsMs, items, opener);
    }

    public boolean resumable() {
        return REALTIME.equals(transport);
    }

    public String json() {
        try {
            return StateJson.MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the snapshot of " + sessionId, e);
        }
    }

    /** @throws IllegalArgumentException when {@code json} is not a snapshot */
    public static SessionSnapshot parse(String json) {
        try {
            var snapshot = StateJson.MAPPER.readValue(json, SessionSnapshot.class);
            if (snapshot.sessionId() == null || snapshot.tenantId() == null || snapshot.openedAt() == null
                    || snapshot.configured() == null || snapshot.configured().voicecoach() == null
                    || snapshot.updatedAt() == null) {
                throw new IllegalArgumentException("a snapshot needs sessionId, tenantId, openedAt, updatedAt and "
                        + "settings");
            }
            return snapshot;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a session snapshot: " + e.getOriginalMessage(), e);
        }
    }
}
