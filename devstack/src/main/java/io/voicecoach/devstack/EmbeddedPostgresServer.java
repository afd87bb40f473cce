package io.voicecoach.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A real PostgreSQL server from the zonky binaries on Maven Central, holding one database, {@value #DATABASE},
 * in which each service owns a schema. One started with a data folder of its own can be stopped and started again on
 * the same port with the same data ({@link #restart}), as the fault suite does mid-call.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String DATABASE = "voicecoach";
    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private final Path dataDir;
    private EmbeddedPostgres postgres;
    private int port;

    private EmbeddedPostgresServer(int port, Path dataDir) {
        this.port = port;
        this.dataDir = dataDir;
    }

    public static EmbeddedPostgresServer startEphemeral() {
        return start(0, null);
    }

    /**
     * @param port    0 for a free port (kept by a restart)
     * @param dataDir null for a temporary directory, cleaned on close (such a server cannot restart)
     */
    public static EmbeddedPostgresServer start(int port, Path dataDir) {
        var server = new EmbeddedPostgresServer(port, dataDir);
        server.start();
        server.createDatabase();
        return server;
    }

    /** Starts the server (again, after {@link #stop}) on its port with its data. */
    public synchronized void start() {
        if (postgres != null) {
            throw new IllegalStateException("PostgreSQL is running on port " + port);
        }
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
            postgres = builder.start();
            port = postgres.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
    }

    /**
     * Stops the server (a fast shutdown: open connections are closed, committed data stays); {@link #start} brings
     * it back on the same port.
     *
     * @throws IllegalStateException for a temporary server, whose data would be gone
     */
    public synchronized void stop() {
        if (dataDir == null) {
            throw new IllegalStateException("a temporary PostgreSQL cannot be restarted; start it with a data folder");
        }
        closeServer();
    }

    /** {@link #stop} and {@link #start}. */
    public void restart() {
        stop();
        start();
    }

    public synchronized boolean running() {
        return postgres != null;
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

    /**
     * An outage of {@value #DATABASE} without stopping the server (which a shared test server cannot afford): ends
     * every session in it and refuses new ones ("not currently accepting connections") until
     * {@link #acceptConnections}.
     */
    public void refuseConnections() {
        admin("ALTER DATABASE " + DATABASE + " WITH ALLOW_CONNECTIONS false",
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + DATABASE + "'");
    }

    /** Ends an outage begun by {@link #refuseConnections}. */
    public void acceptConnections() {
        admin("ALTER DATABASE " + DATABASE + " WITH ALLOW_CONNECTIONS true");
    }

    private void admin(String... statements) {
        try (var connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD);
             var statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot change database " + DATABASE + ": " + e.getMessage(), e);
        }
    }

    public synchronized int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** JDBC URL of {@value #DATABASE} with the service's schema first on the search path. */
    public String jdbcUrlForSchema(String schema) {
        return jdbcUrl(DATABASE) + "?currentSchema=" + schema;
    }

    @Override
    public synchronized void close() {
        closeServer();
    }

    private void closeServer() {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            postgres = null;
        }
    }
}
