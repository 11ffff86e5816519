package dev.gazette.common;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes sure one process at a time runs the embedded PostgreSQL of a data directory, and that the server does not
 * outlive that process for long.
 * <p>
 * The owner's PID is kept beside the data directory ({@code pg.owner} for {@code pg}). On start, a server that the
 * directory's {@code postmaster.pid} names and that is still running is an orphan when its owner is gone (the JVM was
 * killed): it is shut down cleanly before the new one starts. If the owner is alive, start-up fails at once. While
 * running, a small shell watchdog asks the server for a fast shutdown within a second or two of the JVM's death.
 */
final class DataDirectoryOwner {

    private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(60);
    // $1 the JVM, $2 the postmaster: a fast shutdown (SIGINT) once the JVM is gone, a clean stop with a checkpoint.
    private static final String WATCHDOG = "while kill -0 \"$1\" 2>/dev/null; do sleep 1; done; kill -INT \"$2\" 2>/dev/null";

    private final Path ownerFile;
    private final long self = ProcessHandle.current().pid();
    private Process watchdog;

    private DataDirectoryOwner(Path ownerFile) {
        this.ownerFile = ownerFile;
    }

    /** Stops an orphaned server on the directory, refuses one whose owner lives, and records this process as owner. */
    static DataDirectoryOwner claim(Path dataDirectory) throws IOException {
        Path ownerFile = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".owner");
        Optional<ProcessHandle> server = runningServer(dataDirectory);
        if (server.isPresent()) {
            Optional<ProcessHandle> owner = readPid(ownerFile).filter(pid -> pid != ProcessHandle.current().pid())
                    .flatMap(ProcessHandle::of)
                    .filter(p -> p.isAlive() && commandContains(p, "java"));
            if (owner.isPresent()) {
                throw new IllegalStateException("the embedded PostgreSQL under " + dataDirectory.toAbsolutePath()
                        + " belongs to another Gazette that is still running (PID " + owner.get().pid()
                        + "): stop it first, or give this one its own GAZETTE_DATA_DIR");
            }
            stopOrphan(dataDirectory, server.get());
        }
        DataDirectoryOwner claimed = new DataDirectoryOwner(ownerFile);
        Files.writeString(ownerFile, claimed.self + "\n", StandardCharsets.US_ASCII);
        return claimed;
    }

    /** The PostgreSQL server that the directory's {@code postmaster.pid} names, if it is running. */
    static Optional<ProcessHandle> runningServer(Path dataDirectory) {
        return readPid(dataDirectory.resolve("postmaster.pid")).flatMap(ProcessHandle::of)
                .filter(p -> p.isAlive() && commandContains(p, "postgres"));
    }

    private static void stopOrphan(Path dataDirectory, ProcessHandle server) {
        System.err.println("Gazette: stopping the embedded PostgreSQL (PID " + server.pid() + ") left running under "
                + dataDirectory.toAbsolutePath() + " by a Gazette that is gone");
        // SIGTERM: a smart shutdown, which ends once the dead owner's connections are gone (they are).
        server.destroy();
        try {
            server.onExit().get(ORPHAN_STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the embedded PostgreSQL (PID " + server.pid() + ") left running under "
                    + dataDirectory.toAbsolutePath() + " did not stop within " + ORPHAN_STOP_WAIT.toSeconds()
                    + " s: stop it (kill -INT " + server.pid() + ") and start again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the orphaned PostgreSQL " + server.pid());
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Starts the watchdog that stops the server running on the directory if this JVM dies without closing it. */
    void watch(Path dataDirectory) {
        // The library starts the server through pg_ctl, so it is no child of ours: postmaster.pid names it.
        Optional<Long> server = readPid(dataDirectory.resolve("postmaster.pid"));
        if (server.isEmpty()) {
            return;
        }
        long serverPid = server.get();
        try {
            watchdog = new ProcessBuilder(List.of("/bin/sh", "-c", WATCHDOG, "gazette-watchdog",
                    Long.toString(self), Long.toString(serverPid)))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            // Not fatal: the next start still stops an orphan.
            System.err.println("Gazette: cannot start the embedded PostgreSQL's watchdog (" + e.getMessage()
                    + "); if this JVM is killed, the next start stops the server it leaves");
        }
    }

    /** Called once the server is stopped. */
    void release() {
        if (watchdog != null) {
            watchdog.destroy();
        }
        try {
            if (readPid(ownerFile).filter(pid -> pid == self).isPresent()) {
                Files.deleteIfExists(ownerFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<Long> readPid(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** When the system does not say what a process runs, assume it is what the PID file says. */
    private static boolean commandContains(ProcessHandle process, String word) {
        return process.info().command().map(c -> c.contains(word)).orElse(true);
    }
}
