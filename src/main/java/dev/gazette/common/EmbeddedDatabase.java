package dev.gazette.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL server run from binaries shipped as Maven artifacts, keeping its data in a directory across restarts.
 * <p>
 * With a password, only password (SCRAM) connections over loopback TCP are accepted. The bundle's {@code initdb}
 * trusts every local connection, so a data directory without our {@code pg_hba.conf} (a new one, or one from before
 * passwords) is started once trusting loopback, given the password, then switched to SCRAM and reloaded.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";

    /** The first line of the {@code pg_hba.conf} we write: its presence means the superuser has its password. */
    static final String HBA_MARKER = "# Written by Gazette: password (SCRAM) connections over loopback only.";

    /**
     * How the server runs.
     *
     * @param durable fsync, full-page writes and synchronous commit on; off only for throw-away test databases, where a
     *            power cut may corrupt the data
     * @param password the superuser's password, or null to trust loopback connections (tests only)
     */
    public record Settings(boolean durable, String password) {

        /** A throw-away database for tests: fast, trusting, lost on a power cut. */
        public static final Settings THROW_AWAY = new Settings(false, null);
    }

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final DataDirectoryOwner owner;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory, DataDirectoryOwner owner) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.owner = owner;
    }

    /** Starts a throw-away server (see {@link Settings#THROW_AWAY}). */
    public static EmbeddedDatabase start(Path dataDirectory, int port) {
        return start(dataDirectory, port, Settings.THROW_AWAY);
    }

    /**
     * Starts PostgreSQL on the given data directory, initialising it on first use. A server left running on it by a
     * Gazette that died is stopped first; one whose Gazette is still alive makes this fail at once, naming its PID.
     *
     * @param port the port to listen on, or 0 for any free port
     */
    public static EmbeddedDatabase start(Path dataDirectory, int port, Settings settings) {
        try {
            Files.createDirectories(dataDirectory);
            DataDirectoryOwner owner = DataDirectoryOwner.claim(dataDirectory);
            boolean hasPassword = settings.password() != null && isOurs(dataDirectory);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    // Its own hook would stop PostgreSQL at once on SIGTERM, while Quarkus is still shutting down and
                    // writing (queued clicks, for one); GazetteMain and the test resource close it when they are done.
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("shared_buffers", "128MB")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    // Runs after initdb, before every start: the server reads this file as it starts.
                    .setDataDirectoryCustomizer(dir -> writeHba(dir.toPath(), hasPassword));
            if (settings.durable()) {
                // The library starts the server with -F (fsync off) and synchronous_commit off; -c options come
                // after -F on the command line, so these win.
                builder.setServerConfig("fsync", "on")
                        .setServerConfig("full_page_writes", "on")
                        .setServerConfig("synchronous_commit", "on")
                        // Fewer checkpoints (each one writes and syncs every dirty page) during a large import or
                        // issue: up to 2 GB of log between them, at the cost of a longer recovery after a crash.
                        .setServerConfig("max_wal_size", "2GB")
                        .setServerConfig("wal_buffers", "16MB");
            }
            if (hasPassword) {
                builder.setConnectConfig("password", settings.password());
            }
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedDatabase database = new EmbeddedDatabase(builder.start(), dataDirectory, owner);
            owner.watch(dataDirectory);
            if (settings.password() != null && !hasPassword) {
                database.setPassword(settings.password());
            }
            return database;
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** The PID of a PostgreSQL server running on the data directory, if one is. */
    public static Optional<Long> runningServer(Path dataDirectory) {
        return DataDirectoryOwner.runningServer(dataDirectory).map(ProcessHandle::pid);
    }

    /** Whether the data directory has our {@code pg_hba.conf}, i.e. the superuser has its password. */
    static boolean isOurs(Path dataDirectory) throws IOException {
        Path hba = dataDirectory.resolve("pg_hba.conf");
        return Files.isRegularFile(hba)
                && Files.readString(hba, StandardCharsets.UTF_8).startsWith(HBA_MARKER);
    }

    private static void writeHba(Path dataDirectory, boolean password) {
        String method = password ? "scram-sha-256" : "trust";
        String rules = "host all all 127.0.0.1/32 " + method + "\nhost all all ::1/128 " + method + "\n";
        try {
            Files.writeString(dataDirectory.resolve("pg_hba.conf"),
                    (password ? HBA_MARKER + "\n" : "# Written by Gazette: trusting loopback until the password is set.\n")
                            + rules, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + dataDirectory.resolve("pg_hba.conf"), e);
        }
    }

    /** Gives the superuser its password, then accepts only password connections from now on. */
    private void setPassword(String password) throws IOException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), USER, "");
                Statement statement = connection.createStatement()) {
            // ALTER ROLE takes no parameters; the password is Base64 (no quote), and any quote would be doubled.
            statement.execute("alter role " + USER + " password '" + password.replace("'", "''") + "'");
            writeHba(dataDirectory, true);
            statement.execute("select pg_reload_conf()");
        } catch (SQLException e) {
            throw new IOException("Cannot set the embedded database's password: " + e.getMessage(), e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        } finally {
            owner.release();
        }
    }
}
