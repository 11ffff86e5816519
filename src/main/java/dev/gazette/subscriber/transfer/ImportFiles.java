package dev.gazette.subscriber.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.gazette.common.OwnerOnlyFiles;
import dev.gazette.common.error.ProblemException;
import io.quarkus.logging.Log;

/**
 * Import files on disk: an upload stored under a size cap (nothing of it left behind when refused), and its rows
 * counted for the progress bar.
 */
final class ImportFiles {

    private ImportFiles() {
    }

    /**
     * Stores an upload under {@code dir}; refuses it (and deletes what was written) past {@code maxBytes}, empty, or
     * cut off: the client hung up, or sent fewer bytes than its Content-Length ({@code expectedBytes}, -1 unknown).
     */
    static Path store(InputStream body, Path dir, long maxBytes, long expectedBytes) {
        Path file;
        try {
            OwnerOnlyFiles.createDirectories(dir);
            file = OwnerOnlyFiles.createTempFile(dir, "import-", ".csv");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store the upload", e);
        }
        boolean stored = false;
        try {
            long total = 0;
            try (OutputStream out = Files.newOutputStream(file)) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = readCutOff(body, buffer)) >= 0) {
                    total += n;
                    if (total > maxBytes) {
                        throw new ProblemException(413, "Content Too Large", "The file is larger than "
                                + maxBytes / 1_000_000 + " MB (gazette.subscribers.import-max-bytes).");
                    }
                    out.write(buffer, 0, n);
                }
            }
            if (expectedBytes >= 0 && total != expectedBytes) {
                throw cutOff();
            }
            if (total == 0) {
                throw ProblemException.invalid("file", "is empty");
            }
            stored = true;
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store the upload", e);
        } finally {
            if (!stored) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    Log.warnf("Cannot delete the refused upload %s: %s", file, e.getMessage());
                }
            }
        }
    }

    /** Reads from the request body; a body that breaks off (the client hung up) is the client's problem, not ours. */
    private static int readCutOff(InputStream body, byte[] buffer) {
        try {
            int n = body.read(buffer);
            return n < 0 ? -1 : n;
        } catch (IOException e) {
            throw cutOff();
        }
    }

    private static ProblemException cutOff() {
        return ProblemException.invalid("file", "was cut off before its end: upload it again");
    }

    /** Data rows in the file (lines minus the header), for the progress bar; quoted line breaks make it approximate. */
    static int countRows(Path file) throws IOException {
        int lines = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[256 * 1024];
            int n;
            int last = '\n';
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
                last = buffer[n - 1];
            }
            if (last != '\n') {
                lines++;
            }
        }
        return Math.max(0, lines - 1);
    }
}
