package io.voicecoach.gateway.realtime;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.Set;

/**
 * A client event of the Realtime protocol, bound from its JSON by {@link RealtimeJson}: the {@code type} names the
 * record (GA names first, beta aliases beside them), field names are the records' in snake case. Records check their
 * own fields in their constructors and refuse with a {@link RealtimeError} naming the field; a handler per family
 * ({@link SessionEvent}, {@link InputAudioEvent}, {@link ConversationEvent}, {@link ResponseEvent}) does the rest.
 * A new event is a record in its family, its name here and a case in the family's handler (the compiler asks for it).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = SessionEvent.Update.class, name = "session.update",
                names = "transcription_session.update"),
        @JsonSubTypes.Type(value = InputAudioEvent.Append.class, name = "input_audio_buffer.append"),
        @JsonSubTypes.Type(value = InputAudioEvent.Commit.class, name = "input_audio_buffer.commit"),
        @JsonSubTypes.Type(value = InputAudioEvent.Clear.class, name = "input_audio_buffer.clear"),
        @JsonSubTypes.Type(value = ConversationEvent.ItemCreate.class, name = "conversation.item.create"),
        @JsonSubTypes.Type(value = ConversationEvent.ItemRetrieve.class, name = "conversation.item.retrieve"),
        @JsonSubTypes.Type(value = ConversationEvent.ItemDelete.class, name = "conversation.item.delete"),
        @JsonSubTypes.Type(value = ConversationEvent.ItemTruncate.class, name = "conversation.item.truncate"),
        @JsonSubTypes.Type(value = ResponseEvent.Create.class, name = "response.create"),
        @JsonSubTypes.Type(value = ResponseEvent.Cancel.class, name = "response.cancel"),
        @JsonSubTypes.Type(value = ResponseEvent.ClearOutputAudio.class, name = "output_audio_buffer.clear"),
})
public sealed interface ClientEvent permits SessionEvent, InputAudioEvent, ConversationEvent, ResponseEvent {

    /** Realtime client events this gateway does not serve, answered {@code not_implemented}: none at present. */
    Set<String> NOT_IMPLEMENTED = Set.of();

    /** The client's {@code event_id}, named in the {@code error} a refusal sends; may be null. */
    String eventId();
}
