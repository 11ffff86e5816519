package dev.gazette.social;

import java.time.Instant;
import java.time.LocalTime;
import java.util.LinkedHashSet;
import java.util.List;
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
import jakarta.persistence.Version;

import dev.gazette.article.Topic;
import dev.gazette.common.BaseEntity;

/**
 * A social account or endpoint Gazette posts to. Credentials are sealed ({@link CredentialCipher}) and never leave
 * the server through the API.
 */
@Entity
@Table(name = "channel")
public class Channel extends BaseEntity {

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    public Network network;

    @Column(nullable = false, length = 200)
    public String name;

    @Column(name = "base_url", length = 2000)
    public String baseUrl;

    @Column(length = 500)
    public String account;

    @Column(nullable = false)
    public byte[] credentials;

    public byte[] session;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    public ChannelStatus status;

    @Column(name = "paused_until")
    public Instant pausedUntil;

    @Column(name = "status_reason", length = 1000)
    public String statusReason;

    @Column(name = "account_name", length = 300)
    public String accountName;

    @Column(name = "max_characters", nullable = false)
    public int maxCharacters;

    @Column(name = "verified_at")
    public Instant verifiedAt;

    @Column(columnDefinition = "text")
    public String template;

    @Column(name = "auto_post", nullable = false)
    public boolean autoPost;

    @Column(name = "all_topics", nullable = false)
    public boolean allTopics;

    @Column(name = "delay_minutes", nullable = false)
    public int delayMinutes;

    @Column(name = "post_from")
    public LocalTime postFrom;

    @Column(name = "post_until")
    public LocalTime postUntil;

    @Column(name = "time_zone", nullable = false, length = 64)
    public String timeZone;

    @Column(name = "announce_digests", nullable = false)
    public boolean announceDigests;

    @ManyToMany(fetch = FetchType.LAZY)
    @JoinTable(name = "channel_topic", joinColumns = @JoinColumn(name = "channel_id"),
            inverseJoinColumns = @JoinColumn(name = "topic_id"))
    @OrderBy("name")
    public Set<Topic> topics = new LinkedHashSet<>();

    @Version
    @Column(nullable = false)
    public int version;

    public static List<Channel> listAll() {
        return list("order by id");
    }
}
