package dev.gazette;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gazette.testing.GazetteProcess;

/**
 * The README's first command, run as an operator would keep it: the packaged jar in its own JVM with the embedded
 * database, killed with {@code kill -9}, stopped with SIGTERM, backed up and restored.
 */
class ZeroSetupRunIT {

    private static final Duration START = Duration.ofSeconds(90);
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");

    @TempDir
    Path work;

    @Test
    void refusesToStartWithADkimKeyItCannotReadAndSaysWhichSetting() throws Exception {
        Path key = work.resolve("dkim.pem");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n");
        GazetteProcess broken = GazetteProcess.start(work, GazetteProcess.freePort(), Map.of(
                "GAZETTE_MAIL_DKIM_PRIVATE_KEY_PATH", key.toString(), "GAZETTE_MAIL_DKIM_DOMAIN", "news.example.org"));
        assertTrue(broken.process().waitFor(90, TimeUnit.SECONDS), "start-up stops");
        assertNotEquals(0, broken.process().exitValue());
        assertTrue(broken.log().contains("gazette.mail.dkim.private-key-path cannot be read as a DKIM key"), broken.log());
        assertTrue(broken.log().contains("BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY"), broken.log());
    }

    @Test
    void restartsAfterKill9RefusesASecondOwnerAndStopsCleanlyOnSigterm() throws Exception {
        int port = GazetteProcess.freePort();
        GazetteProcess first = GazetteProcess.start(work, port, Map.of()).awaitReady(START);
        Path data = work.resolve("data");

        // the superuser has a password, kept owner-only, and nothing gets in without it
        Path secrets = data.resolve("secrets.properties");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets)));
        assertTrue(Files.readString(secrets).contains("embedded-database-password="));
        int dbPort = Integer.parseInt(Files.readAllLines(data.resolve("pg/postmaster.pid")).get(3).trim());
        SQLException refused = assertThrows(SQLException.class, () -> DriverManager
                .getConnection("jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres", "postgres", "postgres").close());
        assertEquals("28P01", refused.getSQLState());

        // without gazette.site.base-url, the public site's links follow the port it listens on
        String subscribe = first.get("/subscribe").body();
        assertTrue(subscribe.contains("http://localhost:" + port + "/"), "links on the listening port");
        assertFalse(subscribe.contains("localhost:8080"));

        String token = token(first);

        // a second Gazette on the same data directory is refused at once, naming the first
        GazetteProcess second = GazetteProcess.start(work, GazetteProcess.freePort(), Map.of());
        assertTrue(second.process().waitFor(30, TimeUnit.SECONDS), "refused at once");
        assertNotEquals(0, second.process().exitValue());
        assertTrue(second.log().contains("PID " + first.pid()), second.log());
        assertEquals(200, first.get("/q/health/ready").statusCode(), "the first one is untouched");

        // kill -9, watchdog included: the database is left running as an orphan, and the next start takes over
        long server = Long.parseLong(Files.readAllLines(data.resolve("pg/postmaster.pid")).get(0).trim());
        first.process().toHandle().children().filter(p -> p.pid() != server).forEach(ProcessHandle::destroyForcibly);
        first.kill();
        Thread.sleep(1500);
        assertTrue(ProcessHandle.of(server).map(ProcessHandle::isAlive).orElse(false), "an orphaned server");
        GazetteProcess again = GazetteProcess.start(work, port, Map.of()).awaitReady(START);
        assertEquals(200, backups(again, token), "the token written before the kill survived it");

        // kill -9 of the JVM alone: its watchdog stops the database within seconds
        long server2 = Long.parseLong(Files.readAllLines(data.resolve("pg/postmaster.pid")).get(0).trim());
        again.kill();
        ProcessHandle.of(server2).ifPresent(p -> p.onExit().orTimeout(20, TimeUnit.SECONDS).join());
        GazetteProcess third = GazetteProcess.start(work, port, Map.of()).awaitReady(START);

        // SIGTERM: a clean stop with status 0, the database stopped with it
        assertEquals(0, third.terminate(Duration.ofSeconds(60)), third.log());
        assertFalse(Files.exists(data.resolve("pg/postmaster.pid")), "the database was stopped");
    }

    @Test
    void theReadmeRestoreCommandPutsBackTheDataAsAtTheBackup() throws Exception {
        int port = GazetteProcess.freePort();
        GazetteProcess running = GazetteProcess.start(work, port, Map.of()).awaitReady(START);
        String before = token(running);
        var made = running.send(HttpRequest.newBuilder(running.uri("/api/v1/backups"))
                .header("Authorization", "Bearer " + before).POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(201, made.statusCode(), made.body());
        Matcher name = Pattern.compile("\"name\":\"([^\"]+)\"").matcher(made.body());
        assertTrue(name.find());
        String after = token(running);
        assertEquals(200, backups(running, after));
        assertEquals(0, running.terminate(Duration.ofSeconds(60)));

        // java -jar target/quarkus-app/quarkus-run.jar restore data/backups/<name>
        Process restore = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar",
                GazetteProcess.jar().toString(), "restore", "data/backups/" + name.group(1))
                .directory(work.toFile()).redirectErrorStream(true).start();
        String output = new String(restore.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(restore.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, restore.exitValue(), output);
        assertTrue(output.contains("Restored"), output);

        GazetteProcess restored = GazetteProcess.start(work, port, Map.of()).awaitReady(START);
        assertEquals(200, backups(restored, before), "data from before the backup is there");
        assertEquals(401, backups(restored, after), "data from after the backup is not");
        assertEquals(0, restored.terminate(Duration.ofSeconds(60)));
        try (var kept = Files.list(work.resolve("data"))) {
            List<String> names = kept.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().anyMatch(n -> n.startsWith("pg.before-restore-")), names.toString());
        }
    }

    /** A new API token of the administrator, through HTTP Basic. */
    private static String token(GazetteProcess gazette) throws Exception {
        String basic = Base64.getEncoder().encodeToString(("admin:" + GazetteProcess.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
        var response = gazette.send(HttpRequest.newBuilder(gazette.uri("/api/v1/tokens"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"it-" + System.nanoTime() + "\"}")));
        assertEquals(201, response.statusCode(), response.body());
        Matcher m = TOKEN.matcher(response.body());
        assertTrue(m.find());
        return m.group(1);
    }

    private static int backups(GazetteProcess gazette, String token) throws Exception {
        return gazette.send(HttpRequest.newBuilder(gazette.uri("/api/v1/backups")).header("Authorization", "Bearer " + token)
                .GET()).statusCode();
    }
}
