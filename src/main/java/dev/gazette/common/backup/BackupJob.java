package dev.gazette.common.backup;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * The scheduled backup ({@code gazette.backup.schedule}, nightly by default; {@code off} for none), for the
 * embedded database only.
 */
@ApplicationScoped
public class BackupJob {

    private final BackupService backups;

    BackupJob(BackupService backups) {
        this.backups = backups;
    }

    @Scheduled(identity = "backup", cron = "${gazette.backup.schedule}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        if (!backups.available()) {
            return;
        }
        try {
            backups.backup();
        } catch (RuntimeException e) {
            Log.errorf(e, "The scheduled backup failed; the next one is at the next gazette.backup.schedule time");
        }
    }
}
