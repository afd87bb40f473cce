package io.voicecoach.analytics.ingest;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Column arrays for multi-row statements ({@code insert ... select from unnest(?::text[], ...)}): one round trip
 * whatever the number of rows. Timestamps and UUIDs travel as text and are cast in SQL.
 */
final class Sql {

    static <T> Array texts(Connection c, Collection<T> rows, Function<T, ?> column) throws SQLException {
        return c.createArrayOf("text", rows.stream().map(column).map(v -> v == null ? null : v.toString()).toArray());
    }

    static <T> Array longs(Connection c, Collection<T> rows, Function<T, ? extends Number> column) throws SQLException {
        return c.createArrayOf("bigint", rows.stream().map(column)
                .map(v -> v == null ? null : (Object) v.longValue()).toArray());
    }

    static <T> Array doubles(Connection c, Collection<T> rows, Function<T, ? extends Number> column) throws SQLException {
        return c.createArrayOf("float8", rows.stream().map(column)
                .map(v -> v == null ? null : (Object) v.doubleValue()).toArray());
    }

    /** Runs {@code sql} with one array per parameter; returns the rows' first column when it returns any. */
    static List<String> run(Connection c, String sql, Array... columns) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < columns.length; i++) {
                statement.setArray(i + 1, columns[i]);
            }
            var returned = new ArrayList<String>();
            if (statement.execute()) {
                try (var rows = statement.getResultSet()) {
                    while (rows.next()) {
                        returned.add(rows.getString(1));
                    }
                }
            }
            return returned;
        }
    }

    static void setText(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value.toString());
        }
    }

    static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private Sql() {
    }
}
