package dev.gazette.link.api;

import java.time.Instant;

import dev.gazette.link.LinkContextType;
import dev.gazette.link.LinkCounts;
import dev.gazette.link.LinkStats;
import dev.gazette.link.TrackedLink;
import dev.gazette.link.TrackedLinkService;

/**
 * A tracked link as the editor API shows it.
 *
 * @param url the short URL to share
 * @param redirectsTo where the short URL sends readers: the target with UTM parameters (and {@code ref} on this site)
 * @param counts all-time counts
 */
public record LinkView(long id, String code, String url, String target, String redirectsTo, LinkContextType contextType,
        Long contextId, String label, String utmSource, String utmMedium, String utmCampaign, String utmContent,
        String utmTerm, Instant createdAt, LinkCounts counts) {

    static LinkView of(LinkStats stats, TrackedLinkService links) {
        TrackedLink l = stats.link();
        return new LinkView(l.id, l.code, links.shortUrl(l), l.targetUrl, links.target(l).location(), l.contextType,
                l.contextId, l.label, l.utmSource, l.utmMedium, l.utmCampaign, l.utmContent, l.utmTerm, l.createdAt,
                stats.counts());
    }
}
