package dev.gazette.subscriber.transfer;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.postgresql.PGConnection;

import dev.gazette.subscriber.SubscribersConfig;

/**
 * One writer connection of an import: each batch is copied into a staging table and merged, all batches in one
 * transaction that the import commits only once every writer has finished (so an import is in or out, never half),
 * with durability relaxed for that transaction only.
 */
final class ImportWriter {

    private static final CSVFormat STAGE_FORMAT = CSVFormat.DEFAULT.builder().setNullString("").get();

    /**
     * Checked rows of one batch, already in the CSV form COPY reads: a fifth of the memory of the values as strings,
     * so several batches in flight (one being filled, one waiting and one being merged per writer) stay small.
     */
    static final class Rows {
        final StringBuilder csv = new StringBuilder(64 * 1024);
        final CSVPrinter printer;
        int size;

        Rows() {
            try {
                printer = new CSVPrinter(csv, STAGE_FORMAT);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void add(ImportRows.Staged row) throws IOException {
            printer.printRecord(row.values());
            size++;
        }
    }

    /** Rows parsed and checked, on their way to the database, with the per-row problems found since the last batch. */
    record Batch(Rows rows, List<ImportRows.Problem> problems, int rowsCovered) {
    }

    /** What a batch did: addresses suppressed, addresses it brought (suppressed ones aside), and of those, known ones. */
    record Written(int suppressed, int distinct, int existing) {
    }

    private final long importId;
    private final boolean dryRun;
    private final boolean skipTriggers;
    private final Connection connection;
    private final SubscribersConfig config;
    private final String history;

    /** {@code history}: the entry each imported reader's history gets ("Imported from … by …"). */
    ImportWriter(long importId, boolean dryRun, boolean skipTriggers, Connection connection, SubscribersConfig config,
            String history) {
        this.history = history;
        this.importId = importId;
        this.dryRun = dryRun;
        this.skipTriggers = skipTriggers;
        this.connection = connection;
        this.config = config;
    }

    /** Writes a batch and its problems into this writer's transaction, left open for {@link #commit}. */
    Written write(Batch work, Instant now) throws SQLException, IOException {
        Written written = new Written(0, 0, 0);
        try (Statement st = connection.createStatement()) {
            // A batch lost in a crash is imported again (the import is FAILED and re-run): not worth a flush each.
            st.execute("set local synchronous_commit = off");
        }
        Rows batch = work.rows();
        if (batch.size > 0) {
            stage(batch);
            int suppressed;
            try (PreparedStatement st = connection.prepareStatement(ImportStatements.REPORT_SUPPRESSED)) {
                st.setLong(1, importId);
                suppressed = st.executeUpdate();
            }
            int distinct = count(ImportStatements.COUNT_DISTINCT);
            int existing = dryRun ? count(ImportStatements.COUNT_KNOWN) : merge(Timestamp.from(now));
            written = new Written(suppressed, distinct, existing);
        }
        if (!work.problems().isEmpty()) {
            try (PreparedStatement insert = connection.prepareStatement(ImportStatements.REPORT_PROBLEM)) {
                for (ImportRows.Problem problem : work.problems()) {
                    insert.setLong(1, importId);
                    insert.setInt(2, problem.row());
                    insert.setString(3, problem.email());
                    insert.setString(4, problem.reason());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        return written;
    }

    /** Makes every batch this writer wrote visible at once. */
    void commit() throws SQLException {
        connection.commit();
    }

    private void stage(Rows batch) throws SQLException, IOException {
        String csv = batch.csv.toString();
        batch.csv.setLength(0);
        batch.csv.trimToSize();
        try (Statement st = connection.createStatement()) {
            st.execute(ImportStatements.DROP_STAGE);
            st.execute(ImportStatements.CREATE_STAGE);
        }
        connection.unwrap(PGConnection.class).getCopyAPI().copyIn(ImportStatements.COPY_STAGE, new StringReader(csv));
        try (Statement st = connection.createStatement()) {
            st.execute(ImportStatements.ANALYZE_STAGE);
        }
    }

    /**
     * Upserts the staged rows and their topics; returns how many addresses already existed.
     * <p>
     * With {@code skipTriggers} the statement runs with {@code session_replication_role = replica}, which turns off
     * the foreign-key triggers of {@code subscriber} and {@code subscriber_topic} (the tables have no other triggers
     * or rules) for this statement only, and takes what those triggers would have ensured itself: the import row and
     * the topic rows are locked FOR KEY SHARE (as each trigger would lock them, once per row), and every subscriber id
     * comes from the upsert itself, a row it inserted or one ON CONFLICT DO UPDATE holds locked until commit. So no
     * row can point at a missing import, topic or reader, and a topic or reader deleted meanwhile waits and cascades
     * as usual. The role goes back to origin before anything else in the transaction.
     */
    private int merge(Timestamp now) throws SQLException {
        if (skipTriggers) {
            try (Statement st = connection.createStatement()) {
                st.execute("set local session_replication_role = replica");
            }
            try (PreparedStatement st = connection.prepareStatement(ImportStatements.LOCK_IMPORT)) {
                st.setLong(1, importId);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("The import " + importId + " was deleted while it ran");
                    }
                }
            }
        }
        int existing;
        try (PreparedStatement st = connection.prepareStatement(ImportStatements.MERGE)) {
            st.setString(1, config.defaultFrequency().name());
            st.setString(2, config.defaultTimezone());
            st.setTimestamp(3, now);
            st.setLong(4, importId);
            st.setTimestamp(5, now);
            st.setTimestamp(6, now);
            st.setTimestamp(7, now);
            st.setTimestamp(8, now);
            st.setString(9, history);
            st.setTimestamp(10, now);
            st.setString(11, history);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                existing = rs.getInt(1);
            }
        }
        if (skipTriggers) {
            try (Statement st = connection.createStatement()) {
                st.execute("set local session_replication_role = origin");
            }
        }
        if (count(ImportStatements.COUNT_UNSUBSCRIBED) == 0) {
            return existing;
        }
        try (PreparedStatement st = connection.prepareStatement(ImportStatements.UNSUBSCRIBE)) {
            st.setTimestamp(1, now);
            st.setTimestamp(2, now);
            st.executeUpdate();
        }
        try (PreparedStatement st = connection.prepareStatement(ImportStatements.SUPPRESS_UNSUBSCRIBED)) {
            st.setString(1, "unsubscribed in import #" + importId);
            st.setTimestamp(2, now);
            st.setTimestamp(3, now);
            st.executeUpdate();
        }
        return existing;
    }

    private int count(String sql) throws SQLException {
        return count(connection, sql);
    }

    /** The single number a query answers. */
    static int count(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
