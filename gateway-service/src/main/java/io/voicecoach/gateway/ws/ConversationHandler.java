package io.voicecoach.gateway.ws;

import io.smallrye.mutiny.Uni;
import io.voicecoach.events.Track;
import io.voicecoach.events.Transcript;
import io.voicecoach.gateway.realtime.ConversationEvent;
import io.voicecoach.gateway.realtime.RealtimeError;
import io.voicecoach.gateway.realtime.RealtimeJson;
import io.voicecoach.gateway.realtime.ServerEvent;
import io.voicecoach.gateway.realtime.TrackOption;
import io.voicecoach.gateway.session.Ids;
import io.voicecoach.gateway.session.SessionPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * {@code conversation.item.create}: typed text becomes a final transcript on {@code voice.transcripts} (engine
 * {@code text}, confidence 1.0); {@code conversation.item.created} follows once Kafka has it.
 */
@ApplicationScoped
class ConversationHandler implements ClientEventHandler<ConversationEvent> {

    private static final Logger LOG = Logger.getLogger(ConversationHandler.class);
    private static final String TEXT_ENGINE = "text";

    private final SessionPublisher publisher;

    ConversationHandler(SessionPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public Uni<Void> handle(ClientContext context, ConversationEvent event) {
        return switch (event) {
            case ConversationEvent.ItemCreate create -> itemCreate(context, create);
        };
    }

    private Uni<Void> itemCreate(ClientContext context, ConversationEvent.ItemCreate create) {
        var session = context.session();
        var item = create.item();
        String track = TrackOption.trackOr(create.voicecoach(), Track.CUSTOMER);
        String itemId = item.id() != null ? item.id() : Ids.item();
        long offsetMs = session.offsetMillis(context.receivedAt());
        var transcript = new Transcript(itemId, track, item.text(), true, offsetMs, offsetMs, 1.0, TEXT_ENGINE,
                context.receivedAt());
        String previousItemId = session.conversation().append(itemId);
        var content = item.content().stream()
                .<ServerEvent.Content>map(part -> new ServerEvent.InputText(part.text())).toList();
        String created = RealtimeJson.frame(new ServerEvent.ItemCreated(previousItemId,
                ServerEvent.Item.userMessage(itemId, content)));
        return publisher.transcript(session, transcript, item.id() != null)
                .onFailure().transform(failure -> {
                    LOG.errorf(failure, "transcript of session %s not published", session.id());
                    return RealtimeError.internal("the item could not be stored, send it again");
                })
                .chain(() -> session.client().send(created));
    }
}
