package dev.gazette.subscriber;

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
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;

import dev.gazette.article.Topic;
import dev.gazette.common.BaseEntity;

/**
 * A reader: their address, what they follow, how often, in which time zone, and how they arrived.
 */
@Entity
@Table(name = "subscriber")
public class Subscriber extends BaseEntity {

    @Column(nullable = false, length = 320)
    public String email;

    @Column(name = "email_key", nullable = false, unique = true, length = 320)
    public String emailKey;

    @Column(length = 200)
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    public SubscriberStatus status;

    /** Follows every topic, including ones created later. */
    @Column(name = "all_topics", nullable = false)
    public boolean allTopics;

    @ManyToMany(fetch = FetchType.LAZY)
    @JoinTable(name = "subscriber_topic", joinColumns = @JoinColumn(name = "subscriber_id"),
            inverseJoinColumns = @JoinColumn(name = "topic_id"))
    @OrderBy("name")
    public Set<Topic> topics = new LinkedHashSet<>();

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 10)
    public Frequency frequency;

    @Column(nullable = false, length = 64)
    public String timezone;

    @Column(name = "paused_until")
    public Instant pausedUntil;

    @Enumerated(EnumType.STRING)
    @Column(name = "consent_source", nullable = false, length = 20)
    public ConsentSource consentSource;

    @Column(name = "consent_version", length = 50)
    public String consentVersion;

    @Column(name = "consent_at", nullable = false)
    public Instant consentAt;

    @Column(name = "consent_ip_hash", length = 64)
    public String consentIpHash;

    @Column(name = "import_id")
    public Long importId;

    @Column(name = "source_ref", length = 64)
    public String sourceRef;

    @Column(name = "source_utm_source", length = 100)
    public String sourceUtmSource;

    @Column(name = "source_utm_medium", length = 100)
    public String sourceUtmMedium;

    @Column(name = "source_utm_campaign", length = 100)
    public String sourceUtmCampaign;

    @Column(name = "source_page", length = 2000)
    public String sourcePage;

    @Column(name = "source_label", length = 200)
    public String sourceLabel;

    @Column(name = "confirmation_sent_at")
    public Instant confirmationSentAt;

    @Column(name = "confirmation_count", nullable = false)
    public int confirmationCount;

    /** When the confirmation mail that could not be sent is tried again; null when there is nothing to retry. */
    @Column(name = "confirmation_retry_at")
    public Instant confirmationRetryAt;

    /** Confirmation mails in a row that could not be sent, since one left or the reader last asked to subscribe. */
    @Column(name = "confirmation_failures", nullable = false)
    public int confirmationFailures;

    @Column(name = "confirmed_at")
    public Instant confirmedAt;

    @Column(name = "unsubscribed_at")
    public Instant unsubscribedAt;

    public static Optional<Subscriber> findByEmailKey(String emailKey) {
        return find("emailKey", emailKey).firstResultOptional();
    }

    public static Optional<Subscriber> findWithTopics(long id) {
        return find("from Subscriber s left join fetch s.topics where s.id = ?1", id).singleResultOptional();
    }
}
