package io.voicecoach.gateway.tenant;

/** Reads the credential out of an {@code Authorization: Bearer <key>} header. */
public final class BearerToken {

    private static final String SCHEME = "bearer ";

    /** The token, or null when the header is missing or not a Bearer one. */
    public static String from(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.length() <= SCHEME.length()
                || !authorizationHeader.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return null;
        }
        String token = authorizationHeader.substring(SCHEME.length()).trim();
        return token.isEmpty() ? null : token;
    }

    private BearerToken() {
    }
}
