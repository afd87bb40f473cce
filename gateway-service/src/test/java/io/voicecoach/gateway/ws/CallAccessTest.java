package io.voicecoach.gateway.ws;

import io.voicecoach.gateway.session.SessionOpener;
import io.voicecoach.gateway.session.VoiceCoachSettings;
import io.voicecoach.gateway.tenant.CredentialBinding;
import io.voicecoach.gateway.tenant.Verification;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The scope rules of {@link CallAccess}, one credential kind at a time. */
class CallAccessTest {

    private static final String SESSION = "sess_1";
    private static final Instant LATER = Instant.now().plusSeconds(600);
    private static final Verification KEY_A = Verification.accepted("t", Verification.API_KEY, "key_a", null);
    private static final Verification KEY_B = Verification.accepted("t", Verification.API_KEY, "key_b", null);
    private static final Verification UNBOUND = Verification.acceptedSecret("t", "cs_1", LATER, null);
    private static final Verification OTHER_UNBOUND = Verification.acceptedSecret("t", "cs_2", LATER, null);
    private static final Verification X_REP = secret("cs_3", new CredentialBinding("call_x", "rep", null));
    private static final Verification X_CUSTOMER = secret("cs_4", new CredentialBinding("call_x", "customer", null));
    private static final Verification TO_SESSION = secret("cs_5", new CredentialBinding(null, null, SESSION));
    private static final Verification TO_OTHER_SESSION = secret("cs_6", new CredentialBinding(null, null, "sess_2"));

    @Test
    void anApiKeyNamesAnyCallAnUnboundSecretOnlyItsOwnABoundSecretOnlyItsLeg() {
        assertThat(CallAccess.refusedField(CallAccess.opener(KEY_A), SESSION, in("call_x", "customer"))).isNull();
        assertThat(CallAccess.refusedField(null, SESSION, in("call_x", "rep"))).as("a Twilio stream").isNull();

        var unbound = CallAccess.opener(UNBOUND);
        assertThat(CallAccess.refusedField(unbound, SESSION, in(SESSION, "customer"))).isNull();
        assertThat(CallAccess.refusedField(unbound, SESSION, in("call_x", "rep"))).isEqualTo("call_id");

        var leg = CallAccess.opener(X_REP);
        assertThat(leg).isEqualTo(new SessionOpener(SessionOpener.CLIENT_SECRET, "cs_3", "call_x", "rep"));
        assertThat(CallAccess.refusedField(leg, SESSION, in("call_x", "rep"))).isNull();
        assertThat(CallAccess.refusedField(leg, SESSION, in("call_x", "customer"))).isEqualTo("role");
        assertThat(CallAccess.refusedField(leg, SESSION, in(SESSION, "rep"))).isEqualTo("call_id");
    }

    @Test
    void onlyTheOpenerOrASecretBoundToTheSessionOrItsLegResumes() {
        var byKey = CallAccess.opener(KEY_A);
        var settings = in("call_x", "rep");
        assertThat(CallAccess.mayResume(KEY_A, SESSION, byKey, settings)).isTrue();
        assertThat(CallAccess.mayResume(KEY_B, SESSION, byKey, settings)).isFalse();
        assertThat(CallAccess.mayResume(OTHER_UNBOUND, SESSION, byKey, settings)).isFalse();
        assertThat(CallAccess.mayResume(X_REP, SESSION, byKey, settings)).isTrue();
        assertThat(CallAccess.mayResume(X_CUSTOMER, SESSION, byKey, settings)).isFalse();
        assertThat(CallAccess.mayResume(TO_SESSION, SESSION, byKey, settings)).isTrue();
        assertThat(CallAccess.mayResume(TO_OTHER_SESSION, SESSION, byKey, settings)).isFalse();

        var bySecret = CallAccess.opener(UNBOUND);
        assertThat(CallAccess.mayResume(UNBOUND, SESSION, bySecret, settings)).isTrue();
        assertThat(CallAccess.mayResume(OTHER_UNBOUND, SESSION, bySecret, settings)).isFalse();
        assertThat(CallAccess.mayResume(KEY_A, SESSION, bySecret, settings)).as("a key id is no secret id").isFalse();

        var toSessionAndLeg = secret("cs_7", new CredentialBinding("call_x", "rep", SESSION));
        assertThat(CallAccess.mayResume(toSessionAndLeg, SESSION, byKey, settings)).isTrue();
        assertThat(CallAccess.mayResume(toSessionAndLeg, SESSION, byKey, in("call_y", "rep"))).isFalse();
    }

    @Test
    void aSessionWithoutAnOpenerIsResumedByAnyKeyOfTheTenantOrABoundSecretOnly() {
        var settings = in(SESSION, "rep");
        assertThat(CallAccess.mayResume(KEY_B, SESSION, null, settings)).isTrue();
        assertThat(CallAccess.mayResume(UNBOUND, SESSION, null, settings)).isFalse();
        assertThat(CallAccess.mayResume(TO_SESSION, SESSION, null, settings)).isTrue();
    }

    private static Verification secret(String id, CredentialBinding binding) {
        return Verification.acceptedSecret("t", id, LATER, binding);
    }

    private static VoiceCoachSettings in(String callId, String role) {
        return VoiceCoachSettings.defaults(SESSION).inCall(callId, role);
    }
}
