package dev.gazette.digest;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
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
import dev.gazette.mail.HeaderFields;

/**
 * A newsletter: which topics it covers, when it goes out (in each reader's own time zone) and how its mail looks.
 */
@Entity
@Table(name = "newsletter")
public class Newsletter extends BaseEntity {

    @Column(nullable = false, unique = true, length = 100)
    public String slug;

    @Column(nullable = false, length = 200)
    public String name;

    @Column(length = 2000)
    public String description;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 10)
    public Cadence cadence;

    @Enumerated(EnumType.STRING)
    @Column(name = "weekly_day", nullable = false, length = 10)
    public DayOfWeek weeklyDay;

    @Column(name = "send_time", nullable = false)
    public LocalTime sendTime;

    @Column(name = "from_name", nullable = false, length = 200)
    public String fromName;

    @Column(name = "from_address", nullable = false, length = 320)
    public String fromAddress;

    @Column(name = "reply_to", length = 320)
    public String replyTo;

    /** The RFC 2919 list identifier, e.g. {@code world.news.example.org}. */
    @Column(name = "list_id", nullable = false, length = 200)
    public String listId;

    @Column(name = "max_items", nullable = false)
    public int maxItems;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    public DigestTemplate template;

    /** Covers every topic, including ones created later. */
    @Column(name = "all_topics", nullable = false)
    public boolean allTopics;

    @ManyToMany(fetch = FetchType.LAZY)
    @JoinTable(name = "newsletter_topic", joinColumns = @JoinColumn(name = "newsletter_id"),
            inverseJoinColumns = @JoinColumn(name = "topic_id"))
    @OrderBy("name")
    public Set<Topic> topics = new LinkedHashSet<>();

    @Column(name = "track_links", nullable = false)
    public boolean trackLinks;

    @Column(name = "track_opens", nullable = false)
    public boolean trackOpens;

    @Column(nullable = false)
    public boolean active;

    /** The colour of the digest's heading rule and links, as #rrggbb; null for the default blue. */
    @Column(name = "accent_color", length = 7)
    public String accentColor;

    /** A line or two of the publication's own at the foot of every digest (who we are, how to reach us); null for none. */
    @Column(name = "footer_text", length = 1000)
    public String footerText;

    /** The sender's postal address, printed in every digest; null when not set (a warning at start-up says so). */
    @Column(name = "postal_address", length = 500)
    public String postalAddress;

    /** The logo at the top of every digest (an uploaded image's logo variant), or null. */
    @Column(name = "logo_url", length = 2000)
    public String logoUrl;

    @Column(name = "planned_until")
    public Instant plannedUntil;

    @Column(name = "issue_count", nullable = false)
    public int issueCount;

    /** Special editions made so far: they are numbered on their own. */
    @Column(name = "special_count", nullable = false)
    public int specialCount;

    public String fromHeader() {
        return HeaderFields.mailbox(fromName, fromAddress);
    }

    /** The fields that go into mail headers, by their API names, for the checks of {@link HeaderFields}. */
    public Map<String, String> headerFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("name", name);
        fields.put("fromName", fromName);
        fields.put("fromAddress", fromAddress);
        fields.put("replyTo", replyTo);
        fields.put("listId", listId);
        return fields;
    }

    public static Optional<Newsletter> findBySlug(String slug) {
        return find("slug", slug).firstResultOptional();
    }

    public static Optional<Newsletter> findWithTopics(long id) {
        return find("from Newsletter n left join fetch n.topics where n.id = ?1", id).singleResultOptional();
    }
}
