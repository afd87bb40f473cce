package io.voicecoach.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A real PostgreSQL server from the zonky binaries on Maven Central, holding one database, {@value #DATABASE},
 * in which each service owns a schema.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String DATABASE = "voicecoach";
    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static EmbeddedPostgresServer startEphemeral() {
        return start(0, null);
    }

    /** @param port 0 for a free port; @param dataDir null for a temporary, cleaned directory */
    public static EmbeddedPostgresServer start(int port, Path dataDir) {
        try {
            var builder = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off");
            if (port > 0) {
                builder.setPort(port);
            }
            if (dataDir != null) {
                builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
            }
            var server = new EmbeddedPostgresServer(builder.start());
            server.createDatabase();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
    }

    private void createDatabase() {
        try (var connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD);
             var statement = connection.createStatement()) {
            statement.execute("ALTER USER postgres PASSWORD '" + PASSWORD + "'");
            var exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'");
            if (!exists.next()) {
                statement.execute("CREATE DATABASE " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + DATABASE, e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** JDBC URL of {@value #DATABASE} with the service's schema first on the search path. */
    public String jdbcUrlForSchema(String schema) {
        return jdbcUrl(DATABASE) + "?currentSchema=" + schema;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
