package dev.gazette.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import dev.gazette.common.EmbeddedDatabase;
import dev.gazette.common.backup.BackupService;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The database of every Quarkus test: a fresh embedded PostgreSQL, or the server named by
 * {@code GAZETTE_TEST_JDBC_URL} (with {@code GAZETTE_TEST_JDBC_USER} and {@code GAZETTE_TEST_JDBC_PASSWORD}).
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    public static final String URL_VARIABLE = "GAZETTE_TEST_JDBC_URL";

    private EmbeddedDatabase database;

    @Override
    public Map<String, String> start() {
        String external = System.getenv(URL_VARIABLE);
        if (external != null && !external.isBlank()) {
            return Map.of(
                    "quarkus.datasource.jdbc.url", external,
                    "quarkus.datasource.username", System.getenv().getOrDefault("GAZETTE_TEST_JDBC_USER", "postgres"),
                    "quarkus.datasource.password", System.getenv().getOrDefault("GAZETTE_TEST_JDBC_PASSWORD", ""));
        }
        Path dir = Path.of("target", "test-pg");
        deleteRecursively(dir);
        database = EmbeddedDatabase.start(dir, 0);
        return Map.of(
                "quarkus.datasource.jdbc.url", database.jdbcUrl(),
                "quarkus.datasource.username", EmbeddedDatabase.USER,
                "quarkus.datasource.password", "",
                BackupService.EMBEDDED_DIRECTORY, database.dataDirectory().toAbsolutePath().toString());
    }

    @Override
    public void stop() {
        if (database != null) {
            database.close();
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
