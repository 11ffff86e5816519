package dev.gazette.common.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.function.Predicate;
import java.util.stream.Stream;

import dev.gazette.common.OwnerOnlyFiles;

/**
 * Copies trees readable by the owner only ({@link OwnerOnlyFiles}): folders 0700, files 0600.
 */
final class Files0600 {

    private Files0600() {
    }

    static void createFolder(Path folder) throws IOException {
        OwnerOnlyFiles.createDirectories(folder);
    }

    /**
     * Copies {@code from} into {@code to}, skipping what {@code skip} names (paths relative to {@code from}). Files that
     * vanish while copying (a live database drops temporary files) are skipped.
     *
     * @return bytes copied
     */
    static long copyTree(Path from, Path to, Predicate<Path> skip) throws IOException {
        long[] bytes = { 0 };
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path relative = from.relativize(dir);
                if (!relative.toString().isEmpty() && skip.test(relative)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                createFolder(to.resolve(relative.toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path relative = from.relativize(file);
                if (!skip.test(relative) && attrs.isRegularFile()) {
                    bytes[0] += copyFile(file, to.resolve(relative.toString()));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof java.nio.file.NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        return bytes[0];
    }

    /** Copies one file (0600); a file that vanished meanwhile counts 0 bytes. */
    static long copyFile(Path from, Path to) throws IOException {
        try {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (java.nio.file.NoSuchFileException vanished) {
            return 0;
        }
        OwnerOnlyFiles.restrict(to, OwnerOnlyFiles.FILE);
        return Files.size(to);
    }

    static void write(Path file, String content) throws IOException {
        OwnerOnlyFiles.writeString(file, content, StandardCharsets.UTF_8);
    }

    static void deleteTree(Path tree) throws IOException {
        if (!Files.exists(tree)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(tree)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
