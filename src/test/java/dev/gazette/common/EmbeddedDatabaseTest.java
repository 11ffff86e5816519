package dev.gazette.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {

    @TempDir
    Path dir;

    @Test
    void shouldKeepDataAcrossRestarts() throws SQLException {
        Path data = dir.resolve("pg");
        try (EmbeddedDatabase first = EmbeddedDatabase.start(data, 0);
                Connection connection = DriverManager.getConnection(first.jdbcUrl(), EmbeddedDatabase.USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute("create table kept (name text)");
            statement.execute("insert into kept values ('still here')");
        }
        try (EmbeddedDatabase second = EmbeddedDatabase.start(data, 0);
                Connection connection = DriverManager.getConnection(second.jdbcUrl(), EmbeddedDatabase.USER, "");
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("select name, current_setting('server_version_num')::int / 10000 from kept")) {
            rs.next();
            assertEquals("still here", rs.getString(1));
            assertEquals(17, rs.getInt(2));
        }
    }

    @Test
    void shouldRunDurableWithAPasswordAndMigrateADirectoryThatTrustedEveryone() throws Exception {
        Path data = dir.resolve("pg");
        // a data directory as earlier versions left it: initdb's trust, no password
        try (EmbeddedDatabase old = EmbeddedDatabase.start(data, 0);
                Connection connection = DriverManager.getConnection(old.jdbcUrl(), EmbeddedDatabase.USER, "")) {
            assertFalse(EmbeddedDatabase.isOurs(data));
        }
        EmbeddedDatabase.Settings settings = new EmbeddedDatabase.Settings(true, "s3cret-Pa55word");
        for (int start = 0; start < 2; start++) { // the migration, then an ordinary start with the password
            try (EmbeddedDatabase database = EmbeddedDatabase.start(data, 0, settings)) {
                assertThrows(SQLException.class,
                        () -> DriverManager.getConnection(database.jdbcUrl(), EmbeddedDatabase.USER, "").close());
                assertEquals("28P01", assertThrows(SQLException.class,
                        () -> DriverManager.getConnection(database.jdbcUrl(), EmbeddedDatabase.USER, "wrong").close())
                        .getSQLState());
                try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), EmbeddedDatabase.USER,
                        "s3cret-Pa55word")) {
                    assertEquals(List.of("on", "on", "on"), settings(connection, "fsync", "full_page_writes", "synchronous_commit"));
                    assertEquals(List.of("SCRAM-SHA-256"), query(connection,
                            "select substr(rolpassword, 1, 13) from pg_authid where rolname = 'postgres'"));
                }
                assertTrue(EmbeddedDatabase.isOurs(data));
            }
        }
    }

    @Test
    void testDatabasesMayRunWithoutFsync() throws SQLException {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dir.resolve("pg"), 0);
                Connection connection = DriverManager.getConnection(database.jdbcUrl(), EmbeddedDatabase.USER, "")) {
            assertEquals(List.of("off"), settings(connection, "fsync"));
        }
    }

    @Test
    void shouldRefuseAtOnceWhileTheOwnerLivesAndStopAnOrphanAfterKill9() throws Exception {
        Path data = dir.resolve("pg");
        Process owner = ownerJvm(data);
        long server = awaitServer(owner);
        try {
            long start = System.nanoTime();
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> EmbeddedDatabase.start(data, 0));
            assertTrue(refused.getMessage().contains("PID " + owner.pid()), refused.getMessage());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "refused at once");
            assertTrue(alive(server), "the running server is left alone");
            // kill -9 of the owner and of its watchdog: the server is left running on the directory
            ProcessHandle dog = owner.toHandle().children().filter(p -> p.pid() != server).findFirst().orElseThrow();
            dog.destroyForcibly();
            dog.onExit().get(10, TimeUnit.SECONDS);
        } finally {
            owner.destroyForcibly().waitFor();
        }
        Thread.sleep(1500);
        assertTrue(alive(server), "an orphan, as the watchdog is gone too");
        try (EmbeddedDatabase second = EmbeddedDatabase.start(data, 0);
                Connection connection = DriverManager.getConnection(second.jdbcUrl(), EmbeddedDatabase.USER, "")) {
            assertFalse(alive(server), "the orphan was stopped");
            assertEquals(List.of("1"), query(connection, "select 1"));
        }
    }

    @Test
    void shouldNotOutliveItsJvmForLong() throws Exception {
        Path data = dir.resolve("pg");
        Process owner = ownerJvm(data);
        long server = awaitServer(owner);
        owner.destroyForcibly().waitFor(); // kill -9
        ProcessHandle.of(server).ifPresent(p -> p.onExit().orTimeout(15, TimeUnit.SECONDS).join());
        assertFalse(alive(server), "the watchdog stopped the server");
        try (EmbeddedDatabase again = EmbeddedDatabase.start(data, 0)) {
            assertTrue(alive(again.dataDirectory()));
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static boolean alive(Path data) throws IOException {
        return Files.exists(data.resolve("postmaster.pid"));
    }

    /** A second JVM that starts the server on the directory and stays, like a running Gazette. */
    private static Process ownerJvm(Path data) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                "dev.gazette.common.EmbeddedDatabaseTest$Owner", data.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static long awaitServer(Process owner) throws IOException {
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(owner.getInputStream())).readLine();
        assertTrue(line != null && line.startsWith("ready "), "the owner JVM started the server: " + line);
        return Long.parseLong(line.substring(6).trim());
    }

    public static final class Owner {
        public static void main(String[] args) throws Exception {
            EmbeddedDatabase database = EmbeddedDatabase.start(Path.of(args[0]), 0);
            System.out.println("ready " + Files.readAllLines(database.dataDirectory().resolve("postmaster.pid")).get(0).trim());
            System.out.flush();
            Thread.sleep(120_000);
        }
    }

    private static List<String> settings(Connection connection, String... names) throws SQLException {
        List<String> values = new java.util.ArrayList<>();
        for (String name : names) {
            values.addAll(query(connection, "select current_setting('" + name + "')"));
        }
        return values;
    }

    private static List<String> query(Connection connection, String sql) throws SQLException {
        List<String> rows = new java.util.ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
