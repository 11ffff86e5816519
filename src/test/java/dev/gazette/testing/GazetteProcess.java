package dev.gazette.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Gazette run as a user runs it: {@code java -jar target/quarkus-app/quarkus-run.jar} in a separate JVM, with the
 * embedded database in a data directory of its own. For the integration tests (failsafe, after the jar is built).
 */
public final class GazetteProcess {

    public static final String ADMIN_PASSWORD = "admin-password-for-process-tests";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final Path log;
    private final int port;

    private GazetteProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** The packaged jar, as failsafe names it. */
    public static Path jar() {
        return Path.of(System.getProperty("gazette.jar", "target/quarkus-app/quarkus-run.jar")).toAbsolutePath();
    }

    /** Starts Gazette from {@code workDir} (its data in {@code workDir/data}) on the given port, with extra arguments. */
    public static GazetteProcess start(Path workDir, int port, Map<String, String> env, String... args) throws IOException {
        Files.createDirectories(workDir);
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx384m", "-jar", jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("GAZETTE_"));
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().put("GAZETTE_ADMIN_PASSWORD", ADMIN_PASSWORD);
        builder.environment().put("GAZETTE_ARTICLES_DEMO_CONTENT", "false");
        builder.environment().putAll(env);
        Path log = workDir.resolve("gazette-" + System.nanoTime() + ".log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        return new GazetteProcess(builder.start(), log, port);
    }

    /** Waits until readiness is UP; fails with the log if the process ends or the time runs out. */
    public GazetteProcess awaitReady(Duration within) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("Gazette exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                if (get("/q/health/ready").statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Gazette was not ready within " + within + ":\n" + log());
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /** kill -9 */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, as a service manager stops it; returns the exit status. */
    public int terminate(Duration within) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("Gazette did not stop within " + within + " of SIGTERM:\n" + log());
        }
        return process.exitValue();
    }

    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** A free port on loopback. */
    public static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
