package io.voicecoach.bench.analytics;

import io.voicecoach.devstack.EmbeddedPostgresServer;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Size of the database and of each analytics table including its indexes and TOAST. */
record DatabaseSize(long databaseBytes, long schemaBytes, List<Table> tables) {

    record Table(String name, long bytes) {
    }

    static DatabaseSize of(EmbeddedPostgresServer postgres) throws SQLException {
        try (var connection = DriverManager.getConnection(postgres.jdbcUrl(EmbeddedPostgresServer.DATABASE),
                EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD);
             var statement = connection.createStatement()) {
            long database;
            try (var rows = statement.executeQuery("SELECT pg_database_size(current_database())")) {
                rows.next();
                database = rows.getLong(1);
            }
            var tables = new ArrayList<Table>();
            try (var rows = statement.executeQuery("""
                    SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c
                    JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = 'analytics' AND c.relkind IN ('r', 'p')
                    ORDER BY 2 DESC""")) {
                while (rows.next()) {
                    tables.add(new Table(rows.getString(1), rows.getLong(2)));
                }
            }
            return new DatabaseSize(database, tables.stream().mapToLong(Table::bytes).sum(), tables);
        }
    }
}
