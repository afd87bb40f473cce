package io.voicecoach.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code code}: {@code unknown_tool}, {@code invalid_arguments}, {@code not_found}, {@code timeout}, {@code internal}. */
@RegisterForReflection
public record ToolError(String code, String message) {
}
