package dev.gazette.common;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gazette.common.config.StartupConfig;

class StartupConfigTest {

    @TempDir
    Path dir;

    @Test
    void shouldNameTheSettingWhenTheDatabaseIsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/gazette";
        String problem = external(url).checkExternalDatabase();
        assertTrue(problem.startsWith("Gazette cannot use the database at QUARKUS_DATASOURCE_JDBC_URL=" + url), problem);
    }

    @Test
    void shouldRejectUrlsThatAreNotPostgres() {
        String problem = external("jdbc:mysql://127.0.0.1/gazette").checkExternalDatabase();
        assertTrue(problem.contains("is not a PostgreSQL JDBC URL"), problem);
    }

    @Test
    void shouldAcceptReachableDatabase() {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dir.resolve("pg"), 0)) {
            assertNull(external(database.jdbcUrl()).checkExternalDatabase());
        }
    }

    private StartupConfig external(String url) {
        return new StartupConfig(Optional.of(url), Optional.of("postgres"), Optional.empty(), dir, 0, Duration.ZERO,
                Optional.empty(), Optional.empty());
    }
}
