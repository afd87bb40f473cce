package io.voicecoach.gateway.ws;

import io.smallrye.mutiny.Uni;
import io.voicecoach.events.ItemTruncated;
import io.voicecoach.gateway.realtime.RealtimeJson;
import io.voicecoach.gateway.realtime.ServerEvent;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.session.SessionPublisher;
import io.voicecoach.gateway.session.SpokenItems;
import io.voicecoach.gateway.twilio.TwilioOut;

import java.util.ArrayList;
import java.util.List;

/**
 * A cut of the agent's audio the gateway decided itself (server VAD heard the caller, the client sent
 * {@code output_audio_buffer.clear}): the client is told {@code output_audio_buffer.cleared} and
 * {@code conversation.item.truncated} at the estimated position (a Twilio stream: {@code clear}), the item is marked truncated in the conversation, and
 * {@code item.truncated} with the words heard goes to {@code voice.sessions}, where coaching cuts the agent's history.
 */
final class AudioCuts {

    private AudioCuts() {
    }

    /** The frames that tell the client of the cut: a Twilio stream gets {@code clear} (its buffered audio is dropped). */
    static List<String> frames(RealtimeSession session, SpokenItems.Cut cut) {
        String streamSid = TwilioOut.streamSidOf(session);
        if (streamSid != null) {
            return List.of(TwilioOut.clear(streamSid));
        }
        var frames = new ArrayList<String>(2);
        frames.add(RealtimeJson.frame(new ServerEvent.OutputAudioBufferCleared(cut.responseId())));
        frames.add(RealtimeJson.frame(new ServerEvent.ItemTruncated(cut.itemId(), 0, cut.audioEndMs())));
        return frames;
    }

    /** Notes the cut on the conversation's item and publishes it. */
    static Uni<Void> publish(RealtimeSession session, SessionPublisher publisher, SpokenItems.Cut cut) {
        session.conversation().update(cut.itemId(), existing -> existing.withNotes(new ServerEvent.ItemNotes(
                existing.voicecoach() == null ? null : existing.voicecoach().track(), cut.audioEndMs())));
        return publisher.conversationChanged(session, cut.itemId(),
                new ItemTruncated(cut.itemId(), 0, cut.audioEndMs(), cut.heard()));
    }
}
