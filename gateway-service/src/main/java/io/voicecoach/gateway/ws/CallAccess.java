package io.voicecoach.gateway.ws;

import io.voicecoach.gateway.session.SessionOpener;
import io.voicecoach.gateway.session.VoiceCoachSettings;
import io.voicecoach.gateway.tenant.Verification;

/**
 * Which calls a session may join and which credentials may resume it, from the credential that opened it
 * ({@link SessionOpener}). An API key (a server credential) has the tenant's whole scope: any call, any role. A
 * client secret bound to a call and role keeps its session in that leg. An unbound client secret's session stays in
 * its own call (the call id is the session id): joining another call needs a credential bound to it. A session
 * without an opener (a Twilio stream, or opened by an older gateway) keeps the tenant's scope.
 */
final class CallAccess {

    /** {@code error} code of a {@code session.update} naming a call or role its credential does not allow. */
    static final String CALL_NOT_PERMITTED = "call_not_permitted";
    /** HTTP 403: the credential may not resume (take over) the session it names. */
    static final String RESUME_NOT_PERMITTED = "resume_not_permitted";
    /** HTTP 403: a client secret bound to a session only resumes it (it opens no session). */
    static final String SECRET_BOUND_TO_SESSION = "secret_bound_to_session";

    private CallAccess() {
    }

    /** The opener a connection made with {@code credential} records. */
    static SessionOpener opener(Verification credential) {
        var binding = credential.binding();
        return binding != null && binding.boundToCall()
                ? new SessionOpener(credential.kind(), credential.credentialId(), binding.callId(), binding.role())
                : new SessionOpener(credential.kind(), credential.credentialId(), null, null);
    }

    /**
     * The {@code session.voicecoach} field ({@code call_id} or {@code role}) whose value the session's opener does not
     * allow, null when {@code settings} are within its scope.
     */
    static String refusedField(SessionOpener opener, String sessionId, VoiceCoachSettings settings) {
        if (opener == null || opener.byApiKey()) {
            return null;
        }
        String allowedCall = opener.boundToCall() ? opener.callId() : sessionId;
        if (!allowedCall.equals(settings.callId())) {
            return "call_id";
        }
        return opener.boundToCall() && !opener.role().equals(settings.role()) ? "role" : null;
    }

    /**
     * True when {@code credential} may resume the session: it is the credential that opened it, or a client secret
     * bound to this session, or to the session's call and role. A session without an opener (older gateway) is
     * resumed by any API key of its tenant, or by a bound secret.
     */
    static boolean mayResume(Verification credential, String sessionId, SessionOpener opener,
                             VoiceCoachSettings settings) {
        if (opener != null && opener.kind().equals(credential.kind())
                && opener.credentialId().equals(credential.credentialId())) {
            return true;
        }
        if (credential.isApiKey()) {
            return opener == null;
        }
        var binding = credential.binding();
        if (binding == null) {
            return false;
        }
        boolean callMatches = !binding.boundToCall()
                || binding.callId().equals(settings.callId()) && binding.role().equals(settings.role());
        boolean sessionMatches = !binding.boundToSession() || binding.sessionId().equals(sessionId);
        return callMatches && sessionMatches;
    }
}
