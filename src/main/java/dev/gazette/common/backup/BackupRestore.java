package dev.gazette.common.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import dev.gazette.common.EmbeddedDatabase;

/**
 * Puts a backup back in place of the embedded database, while Gazette is stopped:
 * {@code java -jar quarkus-run.jar restore data/backups/gazette-20261204-033000}. What it replaces is kept beside it
 * ({@code pg.before-restore-<time>}, {@code secrets.properties.before-restore-<time>}), never deleted; the backup's
 * images are added to {@code media/}, where no image is ever replaced (its name is its content's hash). On the next
 * start PostgreSQL replays the log the backup holds and the data is as it was when the backup ended.
 */
public final class BackupRestore {

    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private BackupRestore() {
    }

    /**
     * @return what was done, for the console
     * @throws IllegalArgumentException when the folder is no backup
     * @throws IllegalStateException when a database is running on the data directory
     */
    public static String restore(Path dataDir, Path backup) throws IOException {
        if (!Files.isRegularFile(backup.resolve(BackupService.MANIFEST))
                || !Files.isRegularFile(backup.resolve(BackupService.DATABASE).resolve("backup_label"))) {
            throw new IllegalArgumentException(backup.toAbsolutePath() + " is not a Gazette backup (no "
                    + BackupService.MANIFEST + " and " + BackupService.DATABASE + "/backup_label)");
        }
        Path pg = dataDir.resolve(BackupService.DATABASE);
        Optional<Long> server = EmbeddedDatabase.runningServer(pg);
        if (server.isPresent()) {
            throw new IllegalStateException("the embedded PostgreSQL (PID " + server.get() + ") is running on "
                    + pg.toAbsolutePath() + ": stop Gazette first");
        }
        String suffix = ".before-restore-" + SUFFIX.format(Instant.now());
        StringBuilder report = new StringBuilder();
        if (Files.exists(pg)) {
            Path kept = pg.resolveSibling(pg.getFileName() + suffix);
            Files.move(pg, kept);
            report.append("The database it replaces is kept in ").append(kept.toAbsolutePath()).append('\n');
        }
        Files0600.copyTree(backup.resolve(BackupService.DATABASE), pg, relative -> false);
        Path secrets = backup.resolve(BackupService.SECRETS);
        if (Files.isRegularFile(secrets)) {
            Path current = dataDir.resolve(BackupService.SECRETS);
            if (Files.exists(current)) {
                Path kept = current.resolveSibling(BackupService.SECRETS + suffix);
                Files.move(current, kept);
                report.append("The secrets it replaces are kept in ").append(kept.toAbsolutePath()).append('\n');
            }
            Files0600.copyFile(secrets, current);
        }
        Path media = backup.resolve(BackupService.MEDIA);
        if (Files.isDirectory(media)) {
            // an image's name is the hash of its content: images already here are the same, and images uploaded
            // since the backup stay (an article restored without them no longer refers to them)
            Path current = dataDir.resolve(BackupService.MEDIA);
            long added = Files0600.copyTree(media, current, relative -> Files.exists(current.resolve(relative.toString())));
            report.append("Images from the backup are in ").append(current.toAbsolutePath()).append(" (").append(added)
                    .append(" bytes added)\n");
        }
        return "Restored " + backup.toAbsolutePath() + " into " + dataDir.toAbsolutePath() + "\n" + report
                + "Start Gazette as usual: the database is as it was when the backup was taken.";
    }
}
