package dev.gazette.subscriber.transfer;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;

import dev.gazette.common.BaseEntity;

/**
 * One CSV import: its progress while it runs and its outcome.
 */
@Entity
@Table(name = "subscriber_import")
public class SubscriberImport extends BaseEntity {

    /** Import lifecycle. */
    public enum Status {
        RUNNING,
        DONE,
        FAILED
    }

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    public Status status;

    @Column(name = "dry_run", nullable = false)
    public boolean dryRun;

    /** Topics the file names that do not exist are created (otherwise they are only reported). */
    @Column(name = "create_topics", nullable = false)
    public boolean createTopics;

    @Column(name = "file_name", length = 300)
    public String fileName;

    @Column(name = "rows_total")
    public Integer rowsTotal;

    @Column(name = "rows_done", nullable = false)
    public int rowsDone;

    @Column(name = "created_count", nullable = false)
    public int createdCount;

    @Column(name = "merged_count", nullable = false)
    public int mergedCount;

    @Column(name = "skipped_count", nullable = false)
    public int skippedCount;

    @Column(name = "invalid_count", nullable = false)
    public int invalidCount;

    @Column(length = 1000)
    public String error;

    @Column(name = "created_by", nullable = false, length = 100)
    public String createdBy;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;
}
