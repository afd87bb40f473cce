package io.voicecoach.coaching.llm;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A tool call as the chat-completions API names it: {@code {"id", "type": "function", "function": {name, arguments}}}. */
@RegisterForReflection
public record ToolCallRef(String id, String type, Function function) {

    public static ToolCallRef function(String id, String name, String arguments) {
        return new ToolCallRef(id, "function", new Function(name, arguments));
    }

    /** {@code arguments} is JSON text, as the model wrote it (it may be invalid). */
    @RegisterForReflection
    public record Function(String name, String arguments) {
    }
}
