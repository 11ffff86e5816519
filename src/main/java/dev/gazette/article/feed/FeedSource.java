package dev.gazette.article.feed;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.Table;

import dev.gazette.article.Topic;
import dev.gazette.common.BaseEntity;

/**
 * An RSS or Atom feed that Gazette polls and imports articles from.
 */
@Entity
@Table(name = "feed_source")
public class FeedSource extends BaseEntity {

    @Column(nullable = false, unique = true, length = 2000)
    public String url;

    @Column(length = 300)
    public String title;

    @Enumerated(EnumType.STRING)
    @Column(name = "import_as", nullable = false, length = 20)
    public ImportMode importAs;

    @Column(name = "poll_interval_secs", nullable = false)
    public int pollIntervalSecs;

    @Column(nullable = false)
    public boolean active = true;

    @Column(length = 500)
    public String etag;

    @Column(name = "last_modified", length = 100)
    public String lastModified;

    /** False until the first successful fetch, whose items are imported without being announced as new. */
    @Column(name = "baseline_done", nullable = false)
    public boolean baselineDone;

    @Column(name = "next_poll_at", nullable = false)
    public Instant nextPollAt;

    @Column(name = "last_polled_at")
    public Instant lastPolledAt;

    @Column(name = "last_success_at")
    public Instant lastSuccessAt;

    @Column(name = "last_error", length = 1000)
    public String lastError;

    @Column(name = "last_error_at")
    public Instant lastErrorAt;

    @Column(name = "consecutive_errors", nullable = false)
    public int consecutiveErrors;

    @Column(name = "items_imported", nullable = false)
    public int itemsImported;

    @ManyToMany(fetch = FetchType.EAGER)
    @JoinTable(name = "feed_source_topic", joinColumns = @JoinColumn(name = "feed_source_id"),
            inverseJoinColumns = @JoinColumn(name = "topic_id"))
    public Set<Topic> topics = new LinkedHashSet<>();

    public static Optional<FeedSource> findByUrl(String url) {
        return find("url", url).firstResultOptional();
    }
}
