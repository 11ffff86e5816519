package dev.gazette.common;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only their owner may read, for everything that holds live tokens or personal data (outbox mail, secrets,
 * uploads, backups): folders 0700, files 0600, created so from the start rather than narrowed afterwards. On a file
 * system without POSIX permissions the files are written as the file system allows.
 */
public final class OwnerOnlyFiles {

    public static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnlyFiles() {
    }

    /** Creates the folder and any missing parents as 0700, and narrows the folder itself to 0700 if it existed. */
    public static Path createDirectories(Path folder) throws IOException {
        try {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(FOLDER));
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(folder);
        } catch (FileAlreadyExistsException link) {
            // a symbolic link to a folder: createDirectories refuses to treat it as one, though it is usable
            if (!Files.isDirectory(folder)) {
                throw link;
            }
        }
        restrict(folder, FOLDER);
        return folder;
    }

    /** A new, empty file 0600 (it must not exist yet). */
    public static Path createFile(Path file) throws IOException {
        try {
            return Files.createFile(file, fileAttribute());
        } catch (UnsupportedOperationException notPosix) {
            return Files.createFile(file);
        }
    }

    /** A new temporary file 0600 in {@code folder}. */
    public static Path createTempFile(Path folder, String prefix, String suffix) throws IOException {
        try {
            return Files.createTempFile(folder, prefix, suffix, fileAttribute());
        } catch (UnsupportedOperationException notPosix) {
            return Files.createTempFile(folder, prefix, suffix);
        }
    }

    /** Writes {@code content} to a new file or over an old one; the file is 0600 whichever it was. */
    public static void writeString(Path file, CharSequence content, Charset charset) throws IOException {
        try (OutputStream out = newOutputStream(file)) {
            out.write(content.toString().getBytes(charset));
        }
    }

    /** Opens a file for writing from its start, creating it 0600 or narrowing an existing one to 0600 first. */
    public static OutputStream newOutputStream(Path file) throws IOException {
        if (Files.exists(file)) {
            restrict(file, FILE);
        } else {
            try {
                createFile(file);
            } catch (FileAlreadyExistsException raced) {
                restrict(file, FILE);
            }
        }
        return Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Narrows an existing path to {@code permissions}, where the file system has POSIX permissions. */
    public static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (UnsupportedOperationException notPosix) {
            // the file system has no owner-only permissions to set
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> fileAttribute() {
        return PosixFilePermissions.asFileAttribute(FILE);
    }
}
