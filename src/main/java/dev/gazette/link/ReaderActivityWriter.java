package dev.gazette.link;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;

/**
 * Stores readers' activity, set-based, to the hour (rounded up, so a click after a mail is never recorded as before
 * it): the exact time would match the click's row in link_click and tell which link the reader clicked.
 * One statement per batch moves each reader's {@code last_active_at} forward
 * (never back: a late batch cannot undo a newer click). Only the time is stored, nothing about the link.
 */
@ApplicationScoped
public class ReaderActivityWriter {

    // Rows that would not change are not written at all (no dead tuple per click of a reader already counted later);
    // readers who left are skipped. A deadlock with another instance's batch is rare and retried by the caller.
    private static final String WRITE = """
            update subscriber s set last_active_at = greatest(coalesce(s.last_active_at, '-infinity'), v.at)
            from (select id, date_trunc('hour', at::timestamptz) + interval '1 hour' as at
                  from unnest(?::bigint[], ?::text[]) as a(id, at)) as v
            where s.id = v.id and s.status = 'ACTIVE' and (s.last_active_at is null or s.last_active_at < v.at)""";

    private final AgroalDataSource dataSource;

    ReaderActivityWriter(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Writes one batch in one statement.
     *
     * @param latest each reader's latest counted click
     * @return readers whose time moved forward
     */
    public int write(Map<Long, Instant> latest) throws SQLException {
        if (latest.isEmpty()) {
            return 0;
        }
        Map<Long, Instant> sorted = new TreeMap<>(latest);
        Long[] ids = sorted.keySet().toArray(Long[]::new);
        String[] times = sorted.values().stream().map(Instant::toString).toArray(String[]::new);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(WRITE)) {
            statement.setArray(1, connection.createArrayOf("bigint", ids));
            statement.setArray(2, connection.createArrayOf("text", times));
            return statement.executeUpdate();
        }
    }
}
