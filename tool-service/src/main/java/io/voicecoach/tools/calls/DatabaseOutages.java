package io.voicecoach.tools.calls;

import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a database outage (PostgreSQL restarting, failing over, unreachable) from a call that failed on its own: the
 * error names a lost or refused connection (SQL state class 08, 53 or 57), or the database does not answer a fresh
 * connection's validity check within a second.
 */
@ApplicationScoped
public class DatabaseOutages {

    private final DataSource dataSource;

    public DatabaseOutages(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** True if {@code failure} is best explained by the database being unavailable. */
    public boolean explains(Throwable failure) {
        return namesLostConnection(failure) || !answers();
    }

    static boolean namesLostConnection(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57")) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean answers() {
        try (var connection = dataSource.getConnection()) {
            return connection.isValid(1);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }
}
