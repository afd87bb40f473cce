package io.voicecoach.gateway.ws;

import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.voicecoach.events.ItemCreated;
import io.voicecoach.events.ItemDeleted;
import io.voicecoach.events.ItemTruncated;
import io.voicecoach.events.SessionEvent;
import io.voicecoach.events.Transcript;
import io.voicecoach.gateway.failover.SessionSnapshots;
import io.voicecoach.gateway.limits.LimitsConfig;
import io.voicecoach.gateway.limits.RequestRates;
import io.voicecoach.gateway.realtime.ConversationEvent;
import io.voicecoach.gateway.realtime.RealtimeError;
import io.voicecoach.gateway.realtime.RealtimeJson;
import io.voicecoach.gateway.realtime.ServerEvent;
import io.voicecoach.gateway.realtime.ServerEvent.Item;
import io.voicecoach.gateway.realtime.TrackOption;
import io.voicecoach.gateway.session.Conversation;
import io.voicecoach.gateway.session.Ids;
import io.voicecoach.gateway.session.RealtimeSession;
import io.voicecoach.gateway.session.SpokenItems;
import io.voicecoach.gateway.session.SessionPublisher;
import io.voicecoach.gateway.tracing.RealtimeTraces;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.function.Supplier;

/**
 * {@code conversation.item.create|retrieve|delete|truncate} on the session's {@link
 * io.voicecoach.gateway.session.Conversation}. Typed user text becomes a final transcript on {@code voice.transcripts}
 * (engine {@code text}, confidence 1.0); other items, deletions and truncations are published on
 * {@code voice.sessions} ({@code item.created|deleted|truncated}) for the voice agent and written to the session's
 * snapshot. The client's answer follows once Kafka has them: {@code conversation.item.created} (the beta name, kept
 * for existing clients), {@code conversation.item.added} and {@code .done}; {@code conversation.item.retrieved},
 * {@code .deleted}, {@code .truncated}.
 * A typed user text starts the item's trace, which its transcript carries on.
 */
@ApplicationScoped
class ConversationHandler implements ClientEventHandler<ConversationEvent> {

    private static final Logger LOG = Logger.getLogger(ConversationHandler.class);
    private static final String TEXT_ENGINE = "text";

    private final SessionPublisher publisher;
    private final SessionSnapshots snapshots;
    private final RealtimeTraces traces;

    private final RequestGate gate;
    private final int maxTextChars;

    ConversationHandler(SessionPublisher publisher, SessionSnapshots snapshots, RealtimeTraces traces,
                        RequestGate gate, LimitsConfig limits) {
        this.gate = gate;
        this.maxTextChars = limits.maxItemTextChars();
        this.publisher = publisher;
        this.snapshots = snapshots;
        this.traces = traces;
    }

    @Override
    public Uni<Void> handle(ClientContext context, ConversationEvent event) {
        return switch (event) {
            case ConversationEvent.ItemCreate create -> create(context, create);
            case ConversationEvent.ItemRetrieve retrieve -> retrieve(context.session(), retrieve);
            case ConversationEvent.ItemDelete delete -> delete(context.session(), delete);
            case ConversationEvent.ItemTruncate truncate -> truncate(context.session(), truncate);
        };
    }

    private Uni<Void> create(ClientContext context, ConversationEvent.ItemCreate create) {
        gate.admit(context, RequestRates.Kind.ITEMS);
        var session = context.session();
        var conversation = session.conversation();
        var item = create.item();
        int chars = item.isMessage() ? item.text().length() : item.output() == null ? 0 : item.output().length();
        if (chars > maxTextChars) {
            throw RealtimeError.invalid(RealtimeError.ITEM_TEXT_TOO_LARGE, "an item carries at most " + maxTextChars
                    + " characters of text, this one " + chars, item.isMessage() ? "item.content" : "item.output");
        }
        if (!conversation.canPlaceAfter(create.previousItemId())) {
            throw notFound(create.previousItemId(), "previous_item_id");
        }
        String itemId = item.id() != null ? item.id() : Ids.item();
        if (item.isMessage() && ConversationEvent.Item.USER.equals(item.role())) {
            String track = TrackOption.carried(create.voicecoach(), session.settings().tracks());
            long offsetMs = session.offsetMillis(context.receivedAt());
            var transcript = new Transcript(itemId, track, item.text(), true, offsetMs, offsetMs, 1.0, TEXT_ENGINE,
                    context.receivedAt());
            var content = item.content().stream()
                    .<ServerEvent.Content>map(part -> new ServerEvent.InputText(part.text())).toList();
            var stored = Item.message(itemId, Item.USER, Item.COMPLETED, content, ServerEvent.ItemNotes.track(track));
            var span = traces.frame("conversation.item.create", session.tenantId(), session.id(), itemId, track,
                    context.receivedAt());
            return published(publisher.transcript(session, transcript, item.id() != null, Context.root().with(span))
                            .onTermination().invoke(span::end),
                    "the item could not be stored, send it again")
                    .chain(() -> added(session, stored, create.previousItemId()));
        }
        var stored = item.isMessage() ? message(itemId, item) : Item.functionCallOutput(itemId, item.callId(),
                item.output());
        String previous = conversation.previousOf(itemId).orElseGet(() -> placedAfter(session,
                create.previousItemId()));
        var payload = new ItemCreated(itemId, previous, item.type(), item.isMessage() ? item.role() : null,
                item.isMessage() ? item.text() : null, item.callId(), item.output());
        return published(publisher.conversationChanged(session, itemId, payload),
                "the item could not be stored, send it again")
                .chain(() -> added(session, stored, create.previousItemId()));
    }

    private static Item message(String itemId, ConversationEvent.Item item) {
        boolean assistant = ConversationEvent.Item.ASSISTANT.equals(item.role());
        var content = item.content().stream().<ServerEvent.Content>map(part -> assistant
                ? new ServerEvent.OutputText(part.text()) : new ServerEvent.InputText(part.text())).toList();
        return Item.message(itemId, item.role(), Item.COMPLETED, content, null);
    }

    /** Adds the item where the client asked, keeps the snapshot current, and tells the client. */
    private Uni<Void> added(RealtimeSession session, Item item, String previousItemId) {
        String previous = session.conversation().add(item, previousItemId);
        snapshots.write(session);
        var client = session.client();
        client.send(RealtimeJson.frame(new ServerEvent.ItemCreated(previous, item)))
                .subscribe().with(ok -> { }, failure -> { });
        client.send(RealtimeJson.frame(new ServerEvent.ItemAdded(previous, item)))
                .subscribe().with(ok -> { }, failure -> { });
        return client.send(RealtimeJson.frame(new ServerEvent.ItemDone(previous, item)));
    }

    private Uni<Void> retrieve(RealtimeSession session, ConversationEvent.ItemRetrieve retrieve) {
        var item = session.conversation().find(retrieve.itemId())
                .orElseThrow(() -> notFound(retrieve.itemId(), "item_id"));
        return session.client().send(RealtimeJson.frame(new ServerEvent.ItemRetrieved(item)));
    }

    private Uni<Void> delete(RealtimeSession session, ConversationEvent.ItemDelete delete) {
        String itemId = delete.itemId();
        if (!session.conversation().delete(itemId)) {
            throw notFound(itemId, "item_id");
        }
        return told(session, itemId, new ItemDeleted(itemId),
                () -> new ServerEvent.ItemDeleted(itemId));
    }

    /** Only assistant messages are cut short: what the caller heard of them is what the voice agent said. */
    private Uni<Void> truncate(RealtimeSession session, ConversationEvent.ItemTruncate truncate) {
        String itemId = truncate.itemId();
        var item = session.conversation().find(itemId).orElseThrow(() -> notFound(itemId, "item_id"));
        if (!Item.MESSAGE.equals(item.type()) || !Item.ASSISTANT.equals(item.role())) {
            throw RealtimeError.invalid(RealtimeError.ITEM_NOT_TRUNCATABLE, "only assistant messages can be truncated",
                    "item_id");
        }
        int parts = item.content() == null ? 0 : item.content().size();
        if (truncate.contentIndex() >= Math.max(1, parts)) {
            throw RealtimeError.invalidEvent("the item has no content part " + truncate.contentIndex(),
                    "content_index");
        }
        long audioEndMs = truncate.audioEndMs();
        var notes = item.voicecoach();
        session.conversation().update(itemId, existing -> existing.withNotes(new ServerEvent.ItemNotes(
                notes == null ? null : notes.track(), audioEndMs)));
        return told(session, itemId,
                new ItemTruncated(itemId, truncate.contentIndex(), audioEndMs, session.spoken().cut(itemId,
                        audioEndMs).map(SpokenItems.Cut::heard).orElse(null)),
                () -> new ServerEvent.ItemTruncated(itemId, truncate.contentIndex(), audioEndMs));
    }

    /**
     * Publishes a change of the conversation, waits until the session's snapshot (which already holds it) is on
     * Kafka too, then answers the client: what it was told survives this instance dying.
     */
    private Uni<Void> told(RealtimeSession session, String itemId, SessionEvent payload,
                           Supplier<ServerEvent> answer) {
        return published(publisher.conversationChanged(session, itemId, payload),
                "the change could not be stored, send it again")
                .chain(() -> Uni.createFrom().completionStage(() -> snapshots.writeAcknowledged(session))
                        .onFailure().recoverWithNull().replaceWithVoid())
                .chain(() -> session.client().send(RealtimeJson.frame(answer.get())));
    }

    private static Uni<Void> published(Uni<Void> publication, String message) {
        return publication.onFailure().transform(failure -> {
            LOG.errorf(failure, "conversation change not published");
            return RealtimeError.internal(message);
        });
    }

    private static RealtimeError notFound(String itemId, String param) {
        return RealtimeError.invalid(RealtimeError.ITEM_NOT_FOUND, "no item " + itemId + " in the conversation",
                param);
    }

    /** The item a new one will follow: the one named ({@code root}: none, it goes first), else the last. */
    private static String placedAfter(RealtimeSession session, String previousItemId) {
        if (previousItemId == null) {
            return session.conversation().lastItemId();
        }
        return Conversation.ROOT.equals(previousItemId) ? null : previousItemId;
    }
}
