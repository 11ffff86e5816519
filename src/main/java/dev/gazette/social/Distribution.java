package dev.gazette.social;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;

import dev.gazette.common.BaseEntity;

/**
 * One post of an article (or a digest announcement) to one channel: the ledger row that makes sure it happens once.
 * The publisher changes it with SQL ({@link DistributionLedger}); editors through {@link DistributionService}.
 */
@Entity
@Table(name = "distribution")
public class Distribution extends BaseEntity {

    @Column(name = "channel_id", nullable = false)
    public long channelId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 24)
    public DistributionKind kind;

    @Column(name = "article_id")
    public Long articleId;

    @Column(name = "issue_id")
    public Long issueId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 12)
    public DistributionStatus status;

    @Column(name = "not_before", nullable = false)
    public Instant notBefore;

    @Column(nullable = false)
    public int attempts;

    @Column(nullable = false)
    public int generation;

    @Column(name = "claimed_by", length = 100)
    public String claimedBy;

    @Column(name = "claimed_at")
    public Instant claimedAt;

    @Column(name = "post_text", columnDefinition = "text")
    public String postText;

    @Column(name = "link_id")
    public Long linkId;

    @Column(name = "external_id", length = 500)
    public String externalId;

    @Column(name = "external_url", length = 2000)
    public String externalUrl;

    @Column(length = 1000)
    public String error;

    @Column(name = "published_at")
    public Instant publishedAt;
}
