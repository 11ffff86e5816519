package dev.gazette.digest.api;

import java.time.DayOfWeek;
import java.time.Instant;
import java.util.List;

import dev.gazette.digest.Cadence;
import dev.gazette.digest.DigestTemplate;
import dev.gazette.digest.Newsletter;

/**
 * A newsletter as the API shows it.
 */
public record NewsletterView(long id, String slug, String name, String description, List<String> topics, boolean allTopics,
        Cadence cadence, DayOfWeek weeklyDay, String sendTime, String fromName, String fromAddress, String replyTo, String listId,
        int maxItems, DigestTemplate template, boolean trackLinks, boolean trackOpens, boolean active, String accentColor,
        String footerText, String postalAddress, int issues, Instant createdAt, Instant updatedAt) {

    public static NewsletterView of(Newsletter n) {
        return new NewsletterView(n.id, n.slug, n.name, n.description, n.topics.stream().map(t -> t.slug).toList(), n.allTopics,
                n.cadence, n.weeklyDay, n.sendTime.toString(), n.fromName, n.fromAddress, n.replyTo, n.listId, n.maxItems,
                n.template, n.trackLinks, n.trackOpens, n.active, n.accentColor, n.footerText, n.postalAddress, n.issueCount,
                n.createdAt, n.updatedAt);
    }
}
