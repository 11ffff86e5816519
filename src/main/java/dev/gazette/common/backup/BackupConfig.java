package dev.gazette.common.backup;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Backups of the embedded database, into {@code <data dir>/backups}. An external database is backed up with its own
 * tools (docs/deployment.md).
 */
@ConfigMapping(prefix = "gazette.backup")
public interface BackupConfig {

    /** When the scheduled backup runs (Quartz cron, server time zone); {@code off} for none. Nightly at 03:30 by default. */
    @WithDefault("0 30 3 * * ?")
    String schedule();

    /** How many backups to keep: after each backup, older ones beyond this number are deleted. */
    @WithDefault("7")
    int keep();
}
