package dev.gazette.subscriber.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.gazette.common.error.ProblemException;

/**
 * Import files on disk: an upload stored under a size cap (nothing of it left behind when refused), and its rows
 * counted for the progress bar.
 */
final class ImportFiles {

    private ImportFiles() {
    }

    /** Stores an upload under {@code dir}; refuses it (and deletes what was written) past {@code maxBytes}, or empty. */
    static Path store(InputStream body, Path dir, long maxBytes) {
        try {
            Files.createDirectories(dir);
            Path file = Files.createTempFile(dir, "import-", ".csv");
            try (OutputStream out = Files.newOutputStream(file)) {
                byte[] buffer = new byte[64 * 1024];
                long total = 0;
                int n;
                while ((n = body.read(buffer)) > 0) {
                    total += n;
                    if (total > maxBytes) {
                        out.close();
                        Files.deleteIfExists(file);
                        throw new ProblemException(413, "Content Too Large", "The file is larger than "
                                + maxBytes / 1_000_000 + " MB (gazette.subscribers.import-max-bytes).");
                    }
                    out.write(buffer, 0, n);
                }
            }
            if (Files.size(file) == 0) {
                Files.delete(file);
                throw ProblemException.invalid("file", "is empty");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store the upload", e);
        }
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
