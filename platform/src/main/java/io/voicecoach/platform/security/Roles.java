package io.voicecoach.platform.security;

/** The roles a caller's {@link io.quarkus.security.identity.SecurityIdentity} can have, and its tenant attribute. */
public final class Roles {

    /** A tenant's API key (or client secret), verified by the gateway; the identity carries {@link #TENANT_ATTRIBUTE}. */
    public static final String TENANT = "tenant";
    /** The operator token ({@code voicecoach.auth.operator-token}). */
    public static final String OPERATOR = "operator";
    /** Another VoiceCoach service presenting the service credential ({@value ServiceCredentials#HEADER}). */
    public static final String SERVICE = "service";

    /** The {@link io.quarkus.security.identity.SecurityIdentity} attribute holding a tenant caller's tenant id. */
    public static final String TENANT_ATTRIBUTE = "voicecoach.tenant";

    private Roles() {
    }
}
