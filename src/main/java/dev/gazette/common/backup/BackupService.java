package dev.gazette.common.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.gazette.common.DirectConnections;
import dev.gazette.common.config.DataConfig;
import dev.gazette.common.error.ProblemException;
import io.quarkus.logging.Log;

/**
 * Consistent backups of the embedded database while Gazette runs, with PostgreSQL's low-level base-backup API: a
 * copy of the data directory taken between {@code pg_backup_start} and {@code pg_backup_stop}, plus the write-ahead
 * log written meanwhile (held back by a temporary replication slot so that no checkpoint recycles it), plus the
 * {@code backup_label} that makes PostgreSQL replay that log on the first start of a restored copy. Pages copied while
 * they changed are repaired by that replay (full-page writes are on). Each backup is a folder under
 * {@code <data dir>/backups} with the database, {@code secrets.properties} (restored channel credentials are
 * useless without the credential key) and the uploaded images ({@code media/}); {@code java -jar quarkus-run.jar restore <folder>} puts one back.
 */
@ApplicationScoped
public class BackupService {

    /** Set by GazetteMain (and the test database) to the embedded server's data directory. */
    public static final String EMBEDDED_DIRECTORY = "gazette.embedded.pg-directory";
    static final String MANIFEST = "backup.properties";
    static final String DATABASE = "pg";
    static final String SECRETS = "secrets.properties";
    /** Uploaded images, under the data directory as in a backup. */
    static final String MEDIA = "media";

    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'gazette-'yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    /** Folders whose contents are rebuilt on start or meaningless in a copy (PostgreSQL's list for base backups). */
    private static final Set<String> EMPTY_FOLDERS = Set.of("pg_wal", "pg_replslot", "pg_stat_tmp", "pg_dynshmem",
            "pg_notify", "pg_serial", "pg_snapshots", "pg_subtrans");
    /** Top-level files that belong to the running server (and the library's lock file). */
    private static final Set<String> SKIPPED_FILES = Set.of("postmaster.pid", "postmaster.opts", "epg-lock", "backup_label.old");
    private static final java.util.regex.Pattern WAL_SEGMENT = java.util.regex.Pattern.compile("[0-9A-F]{24}");

    /** A backup folder. */
    public record Backup(String name, Instant createdAt, long sizeBytes, Path folder) {
    }

    private final Optional<Path> embedded;
    private final Path dataDir;
    private final BackupConfig config;
    private final Clock clock;
    private final DirectConnections connections;
    private final ReentrantLock running = new ReentrantLock();

    BackupService(@ConfigProperty(name = EMBEDDED_DIRECTORY) Optional<Path> embedded, DataConfig data, BackupConfig config,
            Clock clock, DirectConnections connections) {
        this.embedded = embedded;
        this.dataDir = data.dir();
        this.config = config;
        this.clock = clock;
        this.connections = connections;
    }

    /** Whether Gazette runs the database itself, so it can back it up. */
    public boolean available() {
        return embedded.isPresent();
    }

    public Path folder() {
        return dataDir.resolve("backups").toAbsolutePath();
    }

    /** Backs up now; then deletes the oldest backups beyond {@code gazette.backup.keep}. */
    public Backup backup() {
        if (embedded.isEmpty()) {
            throw ProblemException.conflict("database", "Gazette backs up only the database it runs itself. This one is "
                    + "external (QUARKUS_DATASOURCE_JDBC_URL): back it up with pg_dump or point-in-time recovery, see "
                    + "docs/deployment.md.");
        }
        if (!running.tryLock()) {
            throw ProblemException.conflict("backup", "A backup is already running.");
        }
        try {
            long start = System.nanoTime();
            Backup backup = take(embedded.get());
            Log.infof("Backup %s written: %d MB in %d ms", backup.folder(), backup.sizeBytes() / 1_000_000,
                    (System.nanoTime() - start) / 1_000_000);
            prune();
            return backup;
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("The backup failed: " + e.getMessage(), e);
        } finally {
            running.unlock();
        }
    }

    private Backup take(Path pg) throws IOException, SQLException {
        Instant now = clock.instant();
        Files0600.createFolder(folder());
        String name = NAME.format(now);
        for (int n = 2; Files.exists(folder().resolve(name)); n++) {
            name = NAME.format(now) + "-" + n;
        }
        Path partial = folder().resolve(name + ".partial");
        Files0600.deleteTree(partial);
        Files0600.createFolder(partial);
        Path copy = partial.resolve(DATABASE);
        long size;
        // Not a pooled connection: the backup and its slot belong to this session, which ends with it.
        try (Connection connection = connections.open("Gazette backup", 0);
                Statement statement = connection.createStatement()) {
            // Temporary: dropped with this session, whatever happens. Reserves the log from now on.
            statement.execute("select pg_create_physical_replication_slot('gazette_backup_" + ProcessHandle.current().pid()
                    + "', true, true)");
            String firstSegment = single(statement, "select pg_walfile_name(pg_backup_start('" + name + "', true))");
            size = Files0600.copyTree(pg, copy, BackupService::skipped);
            for (String folder : EMPTY_FOLDERS) {
                Files0600.createFolder(copy.resolve(folder));
            }
            Files0600.createFolder(copy.resolve("pg_wal").resolve("archive_status"));
            String lastSegment;
            try (PreparedStatement stop = connection.prepareStatement(
                    "select labelfile, spcmapfile, pg_walfile_name(lsn) from pg_backup_stop(false)");
                    ResultSet rs = stop.executeQuery()) {
                rs.next();
                Files0600.write(copy.resolve("backup_label"), rs.getString(1));
                String tablespaces = rs.getString(2);
                if (tablespaces != null && !tablespaces.isBlank()) {
                    Files0600.write(copy.resolve("tablespace_map"), tablespaces);
                }
                lastSegment = rs.getString(3);
            }
            // After the stop: the log from the backup's start to its end is written, and the slot still holds it.
            try (Stream<Path> wal = Files.list(pg.resolve("pg_wal"))) {
                for (Path segment : wal.toList()) {
                    String file = segment.getFileName().toString();
                    boolean needed = WAL_SEGMENT.matcher(file).matches()
                            ? file.compareTo(firstSegment) >= 0 && file.compareTo(lastSegment) <= 0
                            : file.endsWith(".history");
                    if (needed) {
                        size += Files0600.copyFile(segment, copy.resolve("pg_wal").resolve(file));
                    }
                }
            }
        }
        Path secrets = dataDir.resolve(SECRETS);
        if (Files.isRegularFile(secrets)) {
            size += Files0600.copyFile(secrets, partial.resolve(SECRETS));
        }
        Path media = dataDir.resolve(MEDIA);
        if (Files.isDirectory(media)) {
            // an upload being written is a temporary file: only whole images are copied
            size += Files0600.copyTree(media, partial.resolve(MEDIA), relative -> relative.getFileName().toString().endsWith(".tmp"));
        }
        // The size is recorded once here, so listing backups reads one small file each, not every file they hold.
        Files0600.write(partial.resolve(MANIFEST), "created=" + now + "\nsize=" + size + "\nformat=postgresql-base-backup\n");
        Path done = folder().resolve(name);
        Files.move(partial, done, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return new Backup(name, now, size, done);
    }

    private static boolean skipped(Path relative) {
        String name = relative.getFileName().toString();
        if (relative.getNameCount() == 1) {
            return SKIPPED_FILES.contains(name) || EMPTY_FOLDERS.contains(name);
        }
        return name.equals("pg_internal.init") || name.startsWith("pgsql_tmp");
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Backups on disk, newest first. */
    public List<Backup> list() {
        if (!Files.isDirectory(folder())) {
            return List.of();
        }
        List<Backup> backups = new ArrayList<>();
        try (Stream<Path> folders = Files.list(folder())) {
            for (Path f : folders.filter(p -> Files.isRegularFile(p.resolve(MANIFEST))).toList()) {
                Properties manifest = new Properties();
                try (var in = Files.newBufferedReader(f.resolve(MANIFEST))) {
                    manifest.load(in);
                }
                backups.add(new Backup(f.getFileName().toString(), Instant.parse(manifest.getProperty("created")),
                        Long.parseLong(manifest.getProperty("size", "0")), f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        backups.sort(Comparator.comparing(Backup::createdAt).reversed());
        return backups;
    }

    private void prune() throws IOException {
        List<Backup> backups = list();
        for (Backup old : backups.subList(Math.min(Math.max(config.keep(), 1), backups.size()), backups.size())) {
            Files0600.deleteTree(old.folder());
            Log.infof("Backup %s deleted (gazette.backup.keep=%d)", old.folder(), config.keep());
        }
    }
}
