package io.voicecoach.analytics.ingest;

import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.SQLException;

/**
 * Asks whether the database answers at all: a batch that fails while it does not is an outage to wait out, never a
 * reason to park the batch's records as refused.
 */
@ApplicationScoped
public class DatabaseProbe {

    private static final int VALID_WITHIN_SECONDS = 2;

    private final DataSource dataSource;

    public DatabaseProbe(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** True if a connection can be had and answers within 2 s. */
    public boolean reachable() {
        try (var connection = dataSource.getConnection()) {
            return connection.isValid(VALID_WITHIN_SECONDS);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }
}
