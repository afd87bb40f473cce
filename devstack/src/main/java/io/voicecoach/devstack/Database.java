package io.voicecoach.devstack;

/** The PostgreSQL database the services create their schemas in. */
public record Database(String jdbcUrl, String user, String password) {

    public static Database of(EmbeddedPostgresServer server) {
        return new Database(server.jdbcUrl(EmbeddedPostgresServer.DATABASE), EmbeddedPostgresServer.USER,
                EmbeddedPostgresServer.PASSWORD);
    }

    /** The JDBC URL with {@code schema} first on the search path. */
    public String urlForSchema(String schema) {
        return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
