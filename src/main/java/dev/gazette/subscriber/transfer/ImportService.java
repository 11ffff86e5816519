package dev.gazette.subscriber.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import dev.gazette.common.CsvCells;
import dev.gazette.common.EmailAddresses;
import dev.gazette.common.SignedTokens;
import dev.gazette.common.config.DataConfig;
import dev.gazette.common.error.ProblemException;
import dev.gazette.subscriber.SubscribersConfig;
import dev.gazette.subscriber.SuppressionService;
import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Imports subscriber CSV files. The file is streamed: rows are validated in Java, copied in batches into a
 * temporary table with COPY, then merged with set-based SQL (duplicates merged, suppressed addresses skipped and
 * reported). Memory stays flat whatever the file size. Progress is readable while it runs.
 */
@Singleton
public class ImportService {

    static final int BATCH = 10_000;
    /**
     * Writer connections, each merging the addresses of its own share of the keys (by hash), so that PostgreSQL works
     * on several cores and no two writers ever touch the same subscriber.
     */
    static final int WRITERS = 2;
    static final List<String> EMAIL_HEADERS = List.of("email", "e-mail", "email address", "mail");

    private final AgroalDataSource dataSource;
    private final SuppressionService suppressions;
    private final SubscribersConfig config;
    private final DataConfig data;
    private final Clock clock;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "subscriber-import");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService writers = Executors.newFixedThreadPool(WRITERS, r -> {
        Thread t = new Thread(r, "subscriber-import-writer");
        t.setDaemon(true);
        return t;
    });

    ImportService(AgroalDataSource dataSource, SuppressionService suppressions, SubscribersConfig config, DataConfig data,
            Clock clock) {
        this.dataSource = dataSource;
        this.suppressions = suppressions;
        this.config = config;
        this.data = data;
        this.clock = clock;
    }

    /** A running import writes its progress every few seconds; one silent this long was stopped with its server. */
    static final Duration STALE = Duration.ofMinutes(10);

    void onStart(@Observes StartupEvent event) {
        failStale();
    }

    /**
     * Marks imports whose server stopped mid-way as failed. Only silent ones: another instance may be running an
     * import right now.
     */
    @Scheduled(identity = "fail-stale-imports", every = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void failStale() {
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> SubscriberImport.update(
                "status = ?1, error = ?2, finishedAt = ?3 where status = ?4 and updatedAt < ?5", SubscriberImport.Status.FAILED,
                "Stopped with its server; import the file again (rows already imported are merged).", now,
                SubscriberImport.Status.RUNNING, now.minus(STALE)));
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
        writers.shutdownNow();
    }

    /** Stores the upload (capped) and starts the import in the background. */
    public SubscriberImport start(InputStream body, String fileName, boolean dryRun, String user) {
        Path file = store(body);
        SubscriberImport started = QuarkusTransaction.requiringNew().call(() -> {
            SubscriberImport i = new SubscriberImport();
            i.status = SubscriberImport.Status.RUNNING;
            i.dryRun = dryRun;
            i.fileName = fileName == null ? null : fileName.substring(0, Math.min(300, fileName.length()));
            i.createdBy = user;
            i.startedAt = clock.instant();
            i.created(clock.instant());
            i.persist();
            return i;
        });
        executor.submit(() -> run(started.id, file));
        return started;
    }

    private Path store(InputStream body) {
        try {
            Path dir = data.dir().resolve("imports");
            Files.createDirectories(dir);
            Path file = Files.createTempFile(dir, "import-", ".csv");
            try (OutputStream out = Files.newOutputStream(file)) {
                byte[] buffer = new byte[64 * 1024];
                long total = 0;
                int n;
                while ((n = body.read(buffer)) > 0) {
                    total += n;
                    if (total > config.importMaxBytes()) {
                        out.close();
                        Files.deleteIfExists(file);
                        throw new ProblemException(413, "Content Too Large", "The file is larger than "
                                + config.importMaxBytes() / 1_000_000 + " MB (gazette.subscribers.import-max-bytes).");
                    }
                    out.write(buffer, 0, n);
                }
            }
            if (Files.size(file) == 0) {
                Files.delete(file);
                throw ProblemException.invalid("file", "is empty");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store the upload", e);
        }
    }

    /**
     * Counters of one run, written to the import row after every batch. The parsing thread counts rows and invalid
     * ones; the writers add theirs while holding the lock of this object.
     */
    static final class Progress {
        volatile int rows;
        volatile int written;
        volatile int created;
        volatile int merged;
        volatile int skipped;
        volatile int invalid;
        volatile long databaseNanos;
        volatile boolean skipTriggers;
    }

    /** Rows parsed and checked, on their way to the database, with the per-row issues found so far. */
    record Batch(Rows rows, List<Object[]> issues, int rowsCovered) {
    }

    private static final CSVFormat STAGE_FORMAT = CSVFormat.DEFAULT.builder().setNullString("").get();

    private static final Batch END = new Batch(new Rows(), List.of(), 0);

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

        void add(Object... values) throws IOException {
            printer.printRecord(values);
            size++;
        }
    }

    void run(long importId, Path file) {
        long started = System.nanoTime();
        Progress progress = new Progress();
        try {
            int total = countRows(file);
            update(importId, p -> p.rowsTotal = total);
            boolean dryRun = QuarkusTransaction.requiringNew().call(() -> SubscriberImport.<SubscriberImport> findById(importId).dryRun);
            List<Connection> connections = new ArrayList<>(WRITERS);
            try {
                for (int w = 0; w < WRITERS; w++) {
                    connections.add(dataSource.getConnection());
                    prepare(connections.get(w));
                }
                progress.skipTriggers = config.importSkipTriggerChecks() && maySkipTriggers(connections.get(0));
                if (config.importSkipTriggerChecks() && !progress.skipTriggers) {
                    Log.infof("Import %d merges with per-row foreign-key checks: the database role may not set"
                            + " session_replication_role (GRANT SET ON PARAMETER session_replication_role TO <role> makes"
                            + " imports about a third cheaper in the database)", importId);
                }
                process(importId, file, dryRun, connections, progress);
            } finally {
                for (Connection connection : connections) {
                    try {
                        // Whatever a failed batch left open goes (its staging table with it), before the pool takes it.
                        connection.rollback();
                        connection.setAutoCommit(true);
                    } catch (SQLException e) {
                        Log.debugf("Rolling back an import connection: %s", e.getMessage());
                    }
                    try {
                        connection.close();
                    } catch (SQLException e) {
                        Log.warnf("Cannot close an import connection: %s", e.getMessage());
                    }
                }
            }
            progress.written = progress.rows;
            update(importId, p -> {
                p.status = SubscriberImport.Status.DONE;
                p.finishedAt = clock.instant();
                copy(progress, p);
            });
            double seconds = (System.nanoTime() - started) / 1e9;
            Log.infof("Import %d done: %d rows in %.1f s (%.0f rows/s, %.1f s in the database over %d connections), %d created,"
                    + " %d merged, %d skipped, %d invalid", importId, progress.rows, seconds, progress.rows / Math.max(seconds, 1e-3),
                    progress.databaseNanos / 1e9, WRITERS, progress.created, progress.merged, progress.skipped, progress.invalid);
        } catch (Exception e) {
            if (e instanceof ImportException) {
                Log.warnf("Import %d failed: %s", importId, e.getMessage());
            } else {
                Log.errorf(e, "Import %d failed", importId);
            }
            String message = e instanceof ImportException ? e.getMessage() : "The import stopped: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage());
            update(importId, p -> {
                p.status = SubscriberImport.Status.FAILED;
                p.error = message.length() > 1000 ? message.substring(0, 1000) : message;
                p.finishedAt = clock.instant();
                copy(progress, p);
            });
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                Log.warnf("Cannot delete %s", file);
            }
        }
    }

    /** A problem with the file as a whole, told to the editor as is. */
    static final class ImportException extends Exception {
        ImportException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Whether this connection may merge with PostgreSQL's per-row foreign-key triggers off
     * ({@code session_replication_role = replica}): as a superuser (the embedded database) or, on PostgreSQL 15 and
     * later, with {@code GRANT SET ON PARAMETER session_replication_role}. Half the database's time per row went into
     * those triggers; the merge takes the same guarantees with one lock per batch instead (see {@link #merge}).
     */
    public static boolean maySkipTriggers(Connection connection) throws SQLException {
        if (count(connection, "select case when current_setting('is_superuser') = 'on' then 1 else 0 end") == 1) {
            return true;
        }
        return count(connection, "select current_setting('server_version_num')::int / 10000") >= 15
                && count(connection, "select case when has_parameter_privilege('session_replication_role', 'SET') then 1 else 0 end") == 1;
    }

    /**
     * A writer connection: its own transactions, one per batch. Nothing is set at session level: the connection goes
     * back to the pool, and a setting left on it would reach whatever transaction takes it next.
     */
    private static void prepare(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
    }

    private void process(long importId, Path file, boolean dryRun, List<Connection> connections, Progress progress)
            throws IOException, SQLException, ImportException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true)
                .setTrim(true).setIgnoreHeaderCase(true).setAllowMissingColumnNames(true).get();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser parser = CSVParser.builder().setReader(reader).setFormat(format).get()) {
            Map<String, Integer> header = parser.getHeaderMap();
            String emailColumn = header.keySet().stream().filter(h -> EMAIL_HEADERS.contains(h.toLowerCase(Locale.ROOT).trim()))
                    .findFirst().orElseThrow(() -> new ImportException("The first row must name the columns, one of them"
                            + " \"email\"; found: " + String.join(", ", header.keySet())));
            String nameColumn = column(header, "name", "full name");
            String topicsColumn = column(header, "topics", "topic");
            String statusColumn = column(header, "status");
            String subscribedColumn = column(header, "subscribed at", "subscribed_at", "subscribedat", "created");
            String sourceColumn = column(header, "source");
            SignedTokens.Hasher hasher = suppressions.hasher();
            List<Rows> batches = new ArrayList<>(WRITERS);
            List<Object[]> issues = new ArrayList<>();
            int handed = 0;
            // Parsing and writing overlap: this thread checks rows while the writers merge earlier batches. Every
            // address goes to the writer its key hashes to, so repeats of an address stay in file order on one writer.
            List<BlockingQueue<Batch>> queues = new ArrayList<>(WRITERS);
            List<Future<?>> writerTasks = new ArrayList<>(WRITERS);
            for (int w = 0; w < WRITERS; w++) {
                // One batch waiting per writer: the parser is much faster than the writers, and memory holds fewer batches.
                BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(1);
                Connection connection = connections.get(w);
                batches.add(new Rows());
                queues.add(queue);
                writerTasks.add(writers.submit(() -> {
                    while (true) {
                        Batch next = queue.take();
                        if (next == END) {
                            return null;
                        }
                        flush(importId, dryRun, connection, next, progress);
                    }
                }));
            }
            try {
                for (CSVRecord record : parser) {
                    int row = (int) record.getRecordNumber() + 1;
                    progress.rows++;
                    String rawEmail = get(record, emailColumn);
                    Optional<String> email = EmailAddresses.normalise(rawEmail);
                    if (email.isEmpty()) {
                        issues.add(new Object[] { row, truncate(rawEmail, 320), rawEmail == null || rawEmail.isBlank()
                                ? "no email address" : "not a valid email address" });
                        progress.invalid++;
                        continue;
                    }
                    String status = parseStatus(get(record, statusColumn));
                    if (status == null) {
                        issues.add(new Object[] { row, email.get(), "status must be active or unsubscribed" });
                        progress.invalid++;
                        continue;
                    }
                    String consentAt;
                    try {
                        consentAt = parseDate(get(record, subscribedColumn));
                    } catch (DateTimeParseException e) {
                        issues.add(new Object[] { row, email.get(), "subscribed at is not a date (use 2026-03-02 or 2026-03-02T09:00:00Z)" });
                        progress.invalid++;
                        continue;
                    }
                    String key = EmailAddresses.key(email.get());
                    String topics = get(record, topicsColumn);
                    int w = Math.floorMod(key.hashCode(), WRITERS);
                    Rows batch = batches.get(w);
                    batch.add(new Object[] { String.valueOf(row), email.get(), key, EmailAddresses.cleanName(get(record, nameColumn)),
                            topics == null || topics.isBlank() ? null : topics.toLowerCase(Locale.ROOT).replace('|', ';').replace(',', ';'),
                            status, consentAt, truncate(EmailAddresses.cleanName(get(record, sourceColumn)), 200),
                            hasher.hash(key) });
                    if (batch.size == BATCH) {
                        handOver(w, queues, writerTasks, new Batch(batch, issues, progress.rows - handed));
                        handed = progress.rows;
                        batches.set(w, new Rows());
                        issues = new ArrayList<>();
                    }
                }
                for (int w = 0; w < WRITERS; w++) {
                    handOver(w, queues, writerTasks, new Batch(batches.get(w), issues, progress.rows - handed));
                    handed = progress.rows;
                    issues = List.of();
                }
                for (int w = 0; w < WRITERS; w++) {
                    handOver(w, queues, writerTasks, END);
                }
                for (Future<?> writer : writerTasks) {
                    writer.get();
                }
            } catch (ExecutionException e) {
                throw rethrow(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted", e);
            } finally {
                // A parse error or a failed writer leaves the other writer waiting for more, or mid-batch: tell each to
                // stop after its current batch and wait, so that no batch is half-written when the connections close
                // (the JDBC driver ignores interrupts, and a pool's reset could commit an open transaction).
                for (BlockingQueue<Batch> queue : queues) {
                    queue.clear();
                    queue.offer(END);
                }
                for (Future<?> writer : writerTasks) {
                    try {
                        writer.get();
                    } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                        // reported by whoever failed first
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new ImportException("The file is not valid CSV near row " + (progress.rows + 2) + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
        } catch (IllegalArgumentException e) {
            throw new ImportException("The header row is not valid: " + e.getMessage());
        }
    }

    /** Queues a batch for its writer; fails as soon as any writer has failed. */
    private static void handOver(int target, List<BlockingQueue<Batch>> queues, List<Future<?>> writers, Batch batch)
            throws SQLException, IOException {
        BlockingQueue<Batch> queue = queues.get(target);
        try {
            while (true) {
                for (Future<?> writer : writers) {
                    if (writer.isDone()) {
                        writer.get(); // throws what made it fail
                    }
                }
                if (writers.get(target).isDone()) {
                    throw new IOException("The import writer stopped");
                }
                if (queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writers.forEach(w -> w.cancel(true));
            throw new IOException("Interrupted", e);
        } catch (ExecutionException e) {
            throw rethrow(e);
        }
    }

    private static SQLException rethrow(ExecutionException e) throws IOException {
        if (e.getCause() instanceof SQLException sql) {
            return sql;
        }
        if (e.getCause() instanceof IOException io) {
            throw io;
        }
        throw new IOException(e.getCause());
    }

    private void flush(long importId, boolean dryRun, Connection connection, Batch work, Progress progress)
            throws SQLException, IOException {
        Rows batch = work.rows();
        List<Object[]> issues = work.issues();
        long start = System.nanoTime();
        try (Statement st = connection.createStatement()) {
            // A batch lost in a crash is imported again (the import is FAILED and re-run): not worth a flush each.
            st.execute("set local synchronous_commit = off");
        }
        if (batch.size > 0) {
            copyIntoStage(connection, batch);
            int suppressed;
            try (PreparedStatement st = connection.prepareStatement("""
                    insert into subscriber_import_issue (import_id, row_number, email, reason)
                    select ?, s.row_number, s.email, 'suppressed: ' || lower(p.reason)
                    from import_stage s join suppression p on p.email_hash = s.hash
                    on conflict do nothing""")) {
                st.setLong(1, importId);
                suppressed = st.executeUpdate();
            }
            int distinct = count(connection, """
                    select count(distinct email_key) from import_stage s
                    where not exists (select 1 from suppression p where p.email_hash = s.hash)""");
            int existing = dryRun ? count(connection, """
                    select count(distinct s.email_key) from import_stage s join subscriber sub on sub.email_key = s.email_key
                    where not exists (select 1 from suppression p where p.email_hash = s.hash)""")
                    : merge(importId, connection, progress.skipTriggers);
            synchronized (progress) {
                progress.skipped += suppressed;
                progress.created += distinct - existing;
                // Rows for an address already known, or repeated within the file, are merged into one reader.
                progress.merged += existing + (batch.size - suppressed - distinct);
            }
        }
        if (!issues.isEmpty()) {
            try (PreparedStatement insert = connection.prepareStatement(
                    "insert into subscriber_import_issue (import_id, row_number, email, reason) values (?, ?, ?, ?) on conflict do nothing")) {
                for (Object[] issue : issues) {
                    insert.setLong(1, importId);
                    insert.setInt(2, (Integer) issue[0]);
                    insert.setString(3, (String) issue[1]);
                    insert.setString(4, (String) issue[2]);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        connection.commit();
        synchronized (progress) {
            progress.written += work.rowsCovered();
            progress.databaseNanos += System.nanoTime() - start;
        }
        update(importId, p -> {
            synchronized (progress) {
                copy(progress, p);
            }
        });
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
    private int merge(long importId, Connection connection, boolean skipTriggers) throws SQLException {
        Timestamp now = Timestamp.from(clock.instant());
        int existing;
        if (skipTriggers) {
            try (Statement st = connection.createStatement()) {
                st.execute("set local session_replication_role = replica");
            }
            try (PreparedStatement st = connection.prepareStatement("select id from subscriber_import where id = ? for key share")) {
                st.setLong(1, importId);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("The import " + importId + " was deleted while it ran");
                    }
                }
            }
        }
        try (PreparedStatement st = connection.prepareStatement("""
                with topics as materialized (
                    select id, slug from topic
                    where slug in (select trim(w) from import_stage s
                                   cross join lateral unnest(string_to_array(s.topics, ';')) as w where s.topics is not null)
                    for key share),
                upserted as (
                    insert into subscriber (email, email_key, name, status, all_topics, frequency, timezone, consent_source,
                        consent_at, import_id, source_label, confirmed_at, unsubscribed_at, created_at, updated_at)
                    select distinct on (email_key) email, email_key, name, status, topics is null, ?, ?, 'IMPORT',
                        coalesce(consent_at, cast(? as timestamptz)), ?, source,
                        case when status = 'ACTIVE' then coalesce(consent_at, cast(? as timestamptz)) end,
                        case when status = 'UNSUBSCRIBED' then cast(? as timestamptz) end,
                        cast(? as timestamptz), cast(? as timestamptz)
                    from import_stage s
                    where not exists (select 1 from suppression p where p.email_hash = s.hash)
                    order by email_key, row_number desc
                    on conflict (email_key) do update set name = coalesce(excluded.name, subscriber.name),
                        updated_at = excluded.updated_at
                    returning id, email_key, (xmax = 0) as inserted),
                wanted as materialized (
                    select distinct u.id as subscriber_id, t.id as topic_id, u.inserted from upserted u
                    join import_stage s on s.email_key = u.email_key and s.topics is not null
                    cross join lateral unnest(string_to_array(s.topics, ';')) as w(topic_slug)
                    join topics t on t.slug = trim(w.topic_slug)),
                -- A reader created by this statement has no topics yet, and no other transaction can see it: a plain
                -- insert, cheaper than on conflict (about a quarter less for this step on 200,000 rows).
                new_topics as (
                    insert into subscriber_topic (subscriber_id, topic_id)
                    select subscriber_id, topic_id from wanted where inserted),
                known_topics as (
                    insert into subscriber_topic (subscriber_id, topic_id)
                    select subscriber_id, topic_id from wanted where not inserted
                    on conflict do nothing)
                select count(*) filter (where not inserted) from upserted""")) {
            st.setString(1, config.defaultFrequency().name());
            st.setString(2, config.defaultTimezone());
            st.setTimestamp(3, now);
            st.setLong(4, importId);
            st.setTimestamp(5, now);
            st.setTimestamp(6, now);
            st.setTimestamp(7, now);
            st.setTimestamp(8, now);
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
        if (count(connection, "select count(*) from import_stage where status = 'UNSUBSCRIBED'") == 0) {
            return existing;
        }
        try (PreparedStatement st = connection.prepareStatement("""
                update subscriber set status = 'UNSUBSCRIBED', unsubscribed_at = ?, updated_at = ?
                where email_key in (select email_key from import_stage where status = 'UNSUBSCRIBED')
                  and status in ('ACTIVE', 'PENDING')""")) {
            st.setTimestamp(1, now);
            st.setTimestamp(2, now);
            st.executeUpdate();
        }
        try (PreparedStatement st = connection.prepareStatement("""
                insert into suppression (email_hash, email, reason, note, created_at, updated_at)
                select distinct on (hash) hash, email, 'UNSUBSCRIBED', ?, ?, ? from import_stage where status = 'UNSUBSCRIBED'
                on conflict (email_hash) do nothing""")) {
            st.setString(1, "unsubscribed in import #" + importId);
            st.setTimestamp(2, now);
            st.setTimestamp(3, now);
            st.executeUpdate();
        }
        return existing;
    }

    private static void copyIntoStage(Connection connection, Rows batch) throws SQLException, IOException {
        String csv = batch.csv.toString();
        batch.csv.setLength(0);
        batch.csv.trimToSize();
        try (Statement st = connection.createStatement()) {
            // One batch's rows, gone with its transaction: nothing outlives the import on a pooled connection.
            st.execute("""
                    create temp table import_stage (row_number int, email text, email_key text, name text, topics text,
                        status text, consent_at timestamptz, source text, hash text) on commit drop""");
        }
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        copy.copyIn("copy import_stage (row_number, email, email_key, name, topics, status, consent_at, source, hash)"
                + " from stdin with (format csv, null '')", new java.io.StringReader(csv));
        try (Statement st = connection.createStatement()) {
            // Without statistics the planner takes the staging table for large and scans subscriber in full.
            st.execute("analyze import_stage");
        }
    }

    private static int count(Connection connection, String sql) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Data rows in the file (lines minus the header), for the progress bar; quoted line breaks make it approximate. */
    static int countRows(Path file) throws IOException {
        int lines = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[256 * 1024];
            int n;
            int last = '\n';
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
                last = buffer[n - 1];
            }
            if (last != '\n') {
                lines++;
            }
        }
        return Math.max(0, lines - 1);
    }

    private static String column(Map<String, Integer> header, String... names) {
        for (String h : header.keySet()) {
            String normal = h.toLowerCase(Locale.ROOT).trim().replace('-', ' ');
            for (String name : names) {
                if (normal.equals(name)) {
                    return h;
                }
            }
        }
        return null;
    }

    private static String get(CSVRecord record, String column) {
        if (column == null || !record.isMapped(column) || !record.isSet(column)) {
            return null;
        }
        String value = record.get(column);
        return value == null || value.isBlank() ? null : value;
    }

    /** ACTIVE (the default), UNSUBSCRIBED, or null when not understood. */
    static String parseStatus(String value) {
        if (value == null) {
            return "ACTIVE";
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "active", "subscribed", "confirmed", "enabled" -> "ACTIVE";
            case "unsubscribed", "inactive", "opted out", "opted-out", "blocklisted" -> "UNSUBSCRIBED";
            default -> null;
        };
    }

    /** ISO date or date-time (UTC when no offset), as text for COPY; null when empty. */
    static String parseDate(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (v.length() == 10) {
            return LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC).toString();
        }
        try {
            return OffsetDateTime.parse(v).toInstant().toString();
        } catch (DateTimeParseException e) {
            return java.time.LocalDateTime.parse(v.replace(' ', 'T')).toInstant(ZoneOffset.UTC).toString();
        }
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    private void update(long importId, java.util.function.Consumer<SubscriberImport> change) {
        QuarkusTransaction.requiringNew().run(() -> {
            SubscriberImport i = SubscriberImport.findById(importId);
            change.accept(i);
            i.updatedAt = clock.instant();
        });
    }

    private static void copy(Progress from, SubscriberImport to) {
        to.rowsDone = from.written;
        to.createdCount = from.created;
        to.mergedCount = from.merged;
        to.skippedCount = from.skipped;
        to.invalidCount = from.invalid;
    }

    /** The per-row report of an import: row number, address, reason. */
    public void writeReport(long importId, java.io.Writer out) throws IOException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement st = connection.prepareStatement(
                        "select row_number, email, reason from subscriber_import_issue where import_id = ? order by row_number");
                CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader("row", "email", "reason").get())) {
            st.setLong(1, importId);
            st.setFetchSize(5000);
            connection.setAutoCommit(false);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    printer.printRecord(rs.getInt(1), CsvCells.safe(rs.getString(2)), rs.getString(3));
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IOException("Cannot read the import report", e);
        }
    }
}
