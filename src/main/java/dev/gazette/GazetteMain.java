package dev.gazette;

import java.io.IOException;
import java.nio.file.Path;

import sun.misc.Signal;

import dev.gazette.common.EmbeddedDatabase;
import dev.gazette.common.LocalSecrets;
import dev.gazette.common.backup.BackupRestore;
import dev.gazette.common.backup.BackupService;
import dev.gazette.common.config.StartupConfig;
import io.quarkus.runtime.Application;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point: starts an embedded PostgreSQL when no database is configured, then Quarkus.
 */
@QuarkusMain
public class GazetteMain {

    public static void main(String... args) {
        exitZeroOnSigterm();
        StartupConfig config = StartupConfig.load();
        if (args.length > 0 && "restore".equals(args[0])) {
            restore(config, args);
            return;
        }
        if (config.jdbcUrl().isPresent()) {
            String problem = config.checkExternalDatabase();
            if (problem != null) {
                fail(problem);
            }
        } else {
            startEmbeddedDatabase(config);
        }
        Quarkus.run(args);
    }

    /**
     * A service manager stops Gazette with SIGTERM and reads any other exit status than 0 as a failure. The JVM's
     * default handling runs the same shutdown hooks (Quarkus's graceful shutdown, then the embedded database's stop) but
     * exits 143; exiting through System.exit runs them too, and exits 0.
     */
    private static void exitZeroOnSigterm() {
        try {
            Signal.handle(new Signal("TERM"), signal -> System.exit(0));
        } catch (IllegalArgumentException unsupported) {
            // no SIGTERM on this platform: nothing to adapt
        }
    }

    /** {@code restore <backup folder>}: puts a backup of the embedded database back, then exits (see BackupRestore). */
    private static void restore(StartupConfig config, String... args) {
        if (args.length != 2) {
            fail("Usage: java -jar quarkus-run.jar restore <backup folder>, e.g. data/backups/gazette-20261204-033000");
        }
        try {
            System.out.println(BackupRestore.restore(config.dataDir(), Path.of(args[1])));
            System.out.flush();
            Runtime.getRuntime().halt(0);
        } catch (IOException | RuntimeException e) {
            fail("Restore failed: " + e.getMessage());
        }
    }

    /** Stops before Quarkus configured logging; halting skips the log manager dumping its start-up buffer. */
    private static void fail(String message) {
        System.err.println(message);
        System.err.flush();
        Runtime.getRuntime().halt(1);
    }

    private static void startEmbeddedDatabase(StartupConfig config) {
        Path dataDir = config.dataDir();
        EmbeddedDatabase database;
        String password;
        try {
            password = LocalSecrets.databasePassword(dataDir);
            // Durable: fsync, full-page writes and synchronous commit on (see docs/deployment.md).
            database = EmbeddedDatabase.start(dataDir.resolve("pg"), config.embeddedPort(),
                    new EmbeddedDatabase.Settings(true, password));
        } catch (IllegalStateException e) {
            fail("Gazette cannot start: " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            fail("Gazette could not start its embedded PostgreSQL under " + dataDir.resolve("pg").toAbsolutePath()
                    + " (GAZETTE_DATA_DIR): " + e.getMessage()
                    + "\nIs another Gazette running on the same data directory? To use your own server, set QUARKUS_DATASOURCE_JDBC_URL.");
            return;
        }
        System.setProperty("quarkus.datasource.jdbc.url", database.jdbcUrl());
        System.setProperty("quarkus.datasource.username", EmbeddedDatabase.USER);
        System.setProperty("quarkus.datasource.password", password);
        System.setProperty(BackupService.EMBEDDED_DIRECTORY, database.dataDirectory().toAbsolutePath().toString());
        LocalSecrets.provide(dataDir, config);
        // Stop PostgreSQL only after Quarkus has finished shutting down, so in-flight work can still commit.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Application app = Application.currentApplication();
            if (app != null) {
                app.awaitShutdown();
            }
            database.close();
        }, "embedded-postgres-stop"));
    }
}
