package dev.gazette.subscriber.transfer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import dev.gazette.article.TopicService;
import dev.gazette.common.SignedTokens;
import dev.gazette.common.Text;
import dev.gazette.common.config.DataConfig;
import dev.gazette.common.events.EventLog;
import dev.gazette.subscriber.SubscribersConfig;
import dev.gazette.subscriber.SuppressionService;
import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Imports subscriber CSV files: the import's lifecycle and its pipeline. The upload is stored ({@link ImportFiles}) and
 * streamed: this class's thread checks rows ({@link ImportRows}) while {@value #WRITERS} writers copy earlier batches
 * into a staging table and merge them with set-based SQL ({@link ImportWriter}, {@link ImportStatements}): duplicates
 * merged, suppressed addresses skipped and reported. Memory stays flat whatever the file size; progress is readable
 * while it runs.
 */
@Singleton
public class ImportService {

    static final int BATCH = 10_000;
    /**
     * Writer connections, each merging the addresses of its own share of the keys (by hash), so that PostgreSQL works
     * on several cores and no two writers ever touch the same subscriber.
     */
    static final int WRITERS = 2;

    private final AgroalDataSource dataSource;
    private final SuppressionService suppressions;
    private final SubscribersConfig config;
    private final DataConfig data;
    private final TopicService topics;
    private final Clock clock;
    private final EventLog events;
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
            TopicService topics, Clock clock, EventLog events) {
        this.events = events;
        this.topics = topics;
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
                "Stopped with its server; nothing of it was imported: import the file again.", now,
                SubscriberImport.Status.RUNNING, now.minus(STALE)));
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
        writers.shutdownNow();
    }

    /** How an import runs: {@code dryRun} only checks; {@code createTopics} creates the topics the file names that do not exist. */
    public record Options(boolean dryRun, boolean createTopics) {
    }

    /** Stores the upload (capped) and starts the import in the background. */
    public SubscriberImport start(InputStream body, String fileName, Options options, String user) {
        return start(body, -1, fileName, options, user);
    }

    /** As {@link #start(InputStream, String, Options, String)}, for a body announced as {@code expectedBytes} long (-1: unknown). */
    public SubscriberImport start(InputStream body, long expectedBytes, String fileName, Options options, String user) {
        Path file = ImportFiles.store(body, data.dir().resolve("imports"), config.importMaxBytes(), expectedBytes);
        SubscriberImport started = QuarkusTransaction.requiringNew().call(() -> {
            SubscriberImport i = new SubscriberImport();
            i.status = SubscriberImport.Status.RUNNING;
            i.dryRun = options.dryRun();
            i.createTopics = options.createTopics();
            i.fileName = Text.cut(fileName, 300);
            i.createdBy = user;
            i.startedAt = clock.instant();
            i.created(clock.instant());
            i.persist();
            return i;
        });
        executor.submit(() -> run(started.id, file));
        return started;
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

    private static final ImportWriter.Batch END = new ImportWriter.Batch(new ImportWriter.Rows(), List.of(), 0);

    void run(long importId, Path file) {
        long started = System.nanoTime();
        Progress progress = new Progress();
        ImportTopics unknown = null;
        try {
            int total = ImportFiles.countRows(file);
            update(importId, p -> p.rowsTotal = total);
            SubscriberImport imp = QuarkusTransaction.requiringNew().call(() -> SubscriberImport.<SubscriberImport> findById(importId));
            boolean dryRun = imp.dryRun;
            unknown = ImportTopics.start(topics, imp.createTopics && !dryRun);
            String history = Text.cut("Imported from " + (imp.fileName == null ? "a CSV file" : imp.fileName) + " by "
                    + imp.createdBy + " (import #" + importId + ")", 1000);
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
                process(importId, file, new Run(dryRun, history, unknown), connections, progress);
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
            // Editors read this: the file's fault in their words, or ours without the server's internals.
            String message = e instanceof ImportException
                    ? e.getMessage() + (e.getMessage().endsWith(".") ? "" : ".") + " Nothing was imported."
                    : "The import stopped on a server error; nothing was imported. Try again; the server log has the details"
                            + " (import " + importId + ").";
            failed(importId, ImportRows.printable(message));
            if (unknown != null) {
                unknown.removeCreated(topics, importId);
            }
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                Log.warnf("Cannot delete %s", file);
            }
        }
    }

    /** Marks the import failed with nothing counted: every writer's transaction was rolled back. */
    private void failed(long importId, String message) {
        try {
            update(importId, p -> {
                p.status = SubscriberImport.Status.FAILED;
                p.error = Text.cut(message, 1000);
                p.finishedAt = clock.instant();
                copy(new Progress(), p);
            });
        } catch (RuntimeException e) {
            Log.errorf(e, "Cannot mark import %d failed", importId);
        }
    }

    /**
     * Whether this connection may merge with PostgreSQL's per-row foreign-key triggers off
     * ({@code session_replication_role = replica}): as a superuser (the embedded database) or, on PostgreSQL 15 and
     * later, with {@code GRANT SET ON PARAMETER session_replication_role}. Half the database's time per row went into
     * those triggers; the merge takes the same guarantees with one lock per batch instead (see {@link #merge}).
     */
    public static boolean maySkipTriggers(Connection connection) throws SQLException {
        if (ImportWriter.count(connection, "select case when current_setting('is_superuser') = 'on' then 1 else 0 end") == 1) {
            return true;
        }
        return ImportWriter.count(connection, "select current_setting('server_version_num')::int / 10000") >= 15
                && ImportWriter.count(connection, "select case when has_parameter_privilege('session_replication_role', 'SET') then 1 else 0 end") == 1;
    }

    /**
     * A writer connection: its own transactions, one per batch. Nothing is set at session level: the connection goes
     * back to the pool, and a setting left on it would reach whatever transaction takes it next.
     */
    private static void prepare(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
    }

    /** What the parsing thread needs of one run. */
    private record Run(boolean dryRun, String history, ImportTopics topics) {
    }

    private void process(long importId, Path file, Run run, List<Connection> connections, Progress progress)
            throws IOException, SQLException, ImportException {
        // Bytes that are not UTF-8 become U+FFFD, for the row that holds them to be reported, not the file refused.
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        LocalDate latest = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(1);
        try (InputStream in = Files.newInputStream(file);
                Reader reader = withoutByteOrderMark(new BufferedReader(new InputStreamReader(in, utf8)));
                CSVParser parser = CSVParser.builder().setReader(reader).setFormat(ImportRows.FORMAT).get()) {
            ImportRows.Columns columns = ImportRows.Columns.of(parser.getHeaderMap());
            SignedTokens.Hasher hasher = suppressions.hasher();
            List<ImportWriter.Rows> batches = new ArrayList<>(WRITERS);
            List<ImportRows.Problem> problems = new ArrayList<>();
            int handed = 0;
            // Parsing and writing overlap: this thread checks rows while the writers merge earlier batches. Every
            // address goes to the writer its key hashes to, so repeats of an address stay in file order on one writer.
            List<BlockingQueue<ImportWriter.Batch>> queues = new ArrayList<>(WRITERS);
            List<Future<?>> writerTasks = new ArrayList<>(WRITERS);
            for (int w = 0; w < WRITERS; w++) {
                // One batch waiting per writer: the parser is much faster than the writers, and memory holds fewer batches.
                BlockingQueue<ImportWriter.Batch> queue = new ArrayBlockingQueue<>(1);
                ImportWriter writer = new ImportWriter(importId, run.dryRun(), progress.skipTriggers, connections.get(w), config,
                        run.history());
                batches.add(new ImportWriter.Rows());
                queues.add(queue);
                writerTasks.add(writers.submit(() -> {
                    while (true) {
                        ImportWriter.Batch next = queue.take();
                        if (next == END) {
                            return null;
                        }
                        write(importId, writer, next, progress);
                    }
                }));
            }
            try {
                for (CSVRecord record : parser) {
                    progress.rows++;
                    ImportRows.Checked checked = ImportRows.check(record, (int) record.getRecordNumber() + 1, columns, hasher, latest);
                    if (checked instanceof ImportRows.Problem problem) {
                        problems.add(problem);
                        progress.invalid++;
                        continue;
                    }
                    ImportRows.Staged row = (ImportRows.Staged) checked;
                    run.topics().check(row.topics());
                    int w = Math.floorMod(row.key().hashCode(), WRITERS);
                    ImportWriter.Rows batch = batches.get(w);
                    batch.add(row);
                    if (batch.size == BATCH) {
                        handOver(w, queues, writerTasks, new ImportWriter.Batch(batch, problems, progress.rows - handed));
                        handed = progress.rows;
                        batches.set(w, new ImportWriter.Rows());
                        problems = new ArrayList<>();
                    }
                }
                for (int w = 0; w < WRITERS; w++) {
                    handOver(w, queues, writerTasks, new ImportWriter.Batch(batches.get(w), problems, progress.rows - handed));
                    handed = progress.rows;
                    problems = List.of();
                }
                for (int w = 0; w < WRITERS; w++) {
                    handOver(w, queues, writerTasks, END);
                }
                for (Future<?> writer : writerTasks) {
                    writer.get();
                }
                run.topics().save(connections.get(0), importId);
                if (!run.dryRun()) {
                    // one summary event, committed with the import's first writer (see the class comment on the two)
                    events.record(connections.get(0), EventLog.SUBSCRIBERS_IMPORTED, summary(importId, progress));
                }
                // Only now, with every batch of every writer written, does any of it become visible.
                for (Connection connection : connections) {
                    connection.commit();
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
                for (BlockingQueue<ImportWriter.Batch> queue : queues) {
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
            Log.infof("Import %d: the CSV parser stopped: %s", importId, e.getMessage());
            throw new ImportException("The file is not valid CSV near row " + (progress.rows + 2)
                    + ": a quoted value is not closed, or a quote stands inside a value that does not start with one.");
        } catch (IllegalArgumentException e) {
            throw new ImportException("The header row is not valid: " + e.getMessage());
        }
    }

    private static Map<String, Object> summary(long importId, Progress progress) {
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("importId", importId);
        synchronized (progress) {
            counts.put("rows", progress.rows);
            counts.put("created", progress.created);
            counts.put("merged", progress.merged);
            counts.put("skipped", progress.skipped);
            counts.put("invalid", progress.invalid);
        }
        return counts;
    }

    /** Excel and Notepad start UTF-8 files with a byte order mark; it must not become part of the first column's name. */
    private static Reader withoutByteOrderMark(BufferedReader reader) throws IOException {
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
        return reader;
    }

    /** Queues a batch for its writer; fails as soon as any writer has failed. */
    private static void handOver(int target, List<BlockingQueue<ImportWriter.Batch>> queues, List<Future<?>> writers,
            ImportWriter.Batch batch)
            throws SQLException, IOException {
        BlockingQueue<ImportWriter.Batch> queue = queues.get(target);
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

    /** One batch through its writer, then the counts and the import row's progress. */
    private void write(long importId, ImportWriter writer, ImportWriter.Batch work, Progress progress) throws SQLException, IOException {
        long start = System.nanoTime();
        ImportWriter.Written written = writer.write(work, clock.instant());
        synchronized (progress) {
            progress.skipped += written.suppressed();
            progress.created += written.distinct() - written.existing();
            // Rows for an address already known, or repeated within the file, are merged into one reader.
            progress.merged += written.existing() + (work.rows().size - written.suppressed() - written.distinct());
            progress.written += work.rowsCovered();
            progress.databaseNanos += System.nanoTime() - start;
        }
        update(importId, p -> {
            synchronized (progress) {
                copy(progress, p);
            }
        });
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
}
