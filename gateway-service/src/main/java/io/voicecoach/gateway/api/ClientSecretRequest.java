package io.voicecoach.gateway.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.voicecoach.gateway.session.VoiceCoachSettings;
import io.voicecoach.gateway.tenant.CredentialBinding;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /v1/realtime/client_secrets} (every field optional; OpenAI's {@code session} and other
 * fields are not read).
 */
@RegisterForReflection
public record ClientSecretRequest(@JsonProperty("expires_after") @Valid ExpiresAfter expiresAfter,
                                  @Valid Binding voicecoach) {

    static final long MIN_SECONDS = 10;

    /** {@code {"anchor": "created_at", "seconds": N}}, or just {@code N}. */
    @RegisterForReflection
    public record ExpiresAfter(@Pattern(regexp = "created_at", message = "must be created_at") String anchor,
                               @NotNull(message = "must be an integer of at least " + MIN_SECONDS)
                               @Min(value = MIN_SECONDS, message = "must be an integer of at least " + MIN_SECONDS)
                               Long seconds) {

        @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
        public ExpiresAfter(@JsonProperty("anchor") String anchor, @JsonProperty("seconds") Long seconds) {
            this.anchor = anchor;
            this.seconds = seconds;
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static ExpiresAfter ofSeconds(long seconds) {
            return new ExpiresAfter(null, seconds);
        }
    }

    /** {@code voicecoach}: binds the secret to a leg of a call ({@code call_id} with {@code role}) and/or a session. */
    @RegisterForReflection
    @CallLeg
    public record Binding(@JsonProperty("call_id") @Pattern(regexp = NON_BLANK, message = NON_BLANK_MESSAGE)
                          @Size(max = VoiceCoachSettings.MAX_CALL_ID_LENGTH,
                                  message = "must be 1 to " + VoiceCoachSettings.MAX_CALL_ID_LENGTH + " characters")
                          String callId,
                          @Pattern(regexp = VoiceCoachSettings.REP + "|" + VoiceCoachSettings.CUSTOMER,
                                  message = "must be rep or customer") String role,
                          @JsonProperty("session_id") @Pattern(regexp = NON_BLANK, message = NON_BLANK_MESSAGE)
                          String sessionId) {

        private static final String NON_BLANK = "(?s).*\\S.*";
        private static final String NON_BLANK_MESSAGE = "must be a non-empty string";

        /** What the secret is bound to; null when nothing is named. */
        CredentialBinding binding() {
            return callId == null && sessionId == null ? null : new CredentialBinding(callId, role, sessionId);
        }
    }
}
