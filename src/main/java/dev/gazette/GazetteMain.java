package dev.gazette;

import java.nio.file.Path;

import dev.gazette.common.EmbeddedDatabase;
import dev.gazette.common.LocalSecrets;
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
        StartupConfig config = StartupConfig.load();
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

    /** Stops before Quarkus configured logging; halting skips the log manager dumping its start-up buffer. */
    private static void fail(String message) {
        System.err.println(message);
        System.err.flush();
        Runtime.getRuntime().halt(1);
    }

    private static void startEmbeddedDatabase(StartupConfig config) {
        Path dataDir = config.dataDir();
        EmbeddedDatabase database;
        try {
            database = EmbeddedDatabase.start(dataDir.resolve("pg"), config.embeddedPort());
        } catch (RuntimeException e) {
            fail("Gazette could not start its embedded PostgreSQL under " + dataDir.resolve("pg").toAbsolutePath()
                    + " (GAZETTE_DATA_DIR): " + e.getMessage()
                    + "\nIs another Gazette running on the same data directory? To use your own server, set QUARKUS_DATASOURCE_JDBC_URL.");
            return;
        }
        System.setProperty("quarkus.datasource.jdbc.url", database.jdbcUrl());
        System.setProperty("quarkus.datasource.username", EmbeddedDatabase.USER);
        System.setProperty("quarkus.datasource.password", "");
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
