package dev.gazette.social;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.gazette.article.Article;
import dev.gazette.article.ArticleStatus;
import dev.gazette.common.error.ProblemException;
import dev.gazette.digest.DigestIssue;
import io.quarkus.panache.common.Sort;

/**
 * What editors do with the ledger: list, retry, cancel, confirm by hand, post on chosen channels.
 */
@ApplicationScoped
public class DistributionService {

    private final DistributionLedger ledger;
    private final Clock clock;

    DistributionService(DistributionLedger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    /** Filters of the editor list; null means any. */
    public record Filter(Long articleId, Long issueId, Long channelId, DistributionStatus status) {
    }

    /** A post with the names an editor knows it by: its channel, its network, its article (or digest issue). */
    public record Described(Distribution post, String channel, String network, String subject, ChannelStatus channelStatus) {

        /**
         * Why a queued post is not going out, in words, when its channel holds it (null otherwise): what the editor must
         * do is on the channel's page.
         */
        public String waitingFor() {
            if (post.status != DistributionStatus.PENDING && post.status != DistributionStatus.RETRY || channelStatus == null) {
                return null;
            }
            return switch (channelStatus) {
                case NEEDS_REAUTH -> "Waiting: the channel needs new credentials";
                case UNVERIFIED -> "Waiting: the network has not accepted the channel's credentials yet";
                case PAUSED -> "Waiting: the channel is paused";
                case DISABLED -> "Waiting: the channel is disabled";
                case ACTIVE -> null;
            };
        }
    }

    /** The posts with their channels' and articles' names, read in two queries whatever their number. */
    @Transactional
    public List<Described> describe(List<Distribution> posts) {
        if (posts.isEmpty()) {
            return List.of();
        }
        Map<Long, Channel> channels = Channel.<Channel>list("id in ?1", posts.stream().map(d -> d.channelId).distinct().toList())
                .stream().collect(Collectors.toMap(c -> c.id, c -> c));
        List<Long> articleIds = posts.stream().map(d -> d.articleId).filter(Objects::nonNull).distinct().toList();
        Map<Long, String> titles = articleIds.isEmpty() ? Map.of() : Article.<Article>list("id in ?1", articleIds).stream()
                .collect(Collectors.toMap(a -> a.id, a -> a.title));
        return posts.stream().map(d -> {
            Channel c = channels.get(d.channelId);
            String subject = d.articleId != null ? titles.getOrDefault(d.articleId, "Article " + d.articleId)
                    : "Digest issue " + d.issueId;
            return new Described(d, c == null ? "?" : c.name, c == null ? "" : c.network.name(), subject,
                    c == null ? null : c.status);
        }).toList();
    }

    public List<Distribution> list(Filter f, Long before, int limit) {
        StringBuilder q = new StringBuilder("1 = 1");
        java.util.Map<String, Object> p = new java.util.HashMap<>();
        if (f.articleId() != null) {
            q.append(" and articleId = :article");
            p.put("article", f.articleId());
        }
        if (f.issueId() != null) {
            q.append(" and issueId = :issue");
            p.put("issue", f.issueId());
        }
        if (f.channelId() != null) {
            q.append(" and channelId = :channel");
            p.put("channel", f.channelId());
        }
        if (f.status() != null) {
            q.append(" and status = :status");
            p.put("status", f.status());
        }
        if (before != null) {
            q.append(" and id < :before");
            p.put("before", before);
        }
        return Distribution.<Distribution>find(q.toString(), Sort.descending("id"), p).page(0, limit).list();
    }

    public Distribution get(long id) {
        return Distribution.<Distribution>findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("Distribution " + id));
    }

    /**
     * Posts again: a FAILED, UNCONFIRMED, CANCELLED or waiting row goes back to PENDING now with a fresh attempt
     * count. A PUBLISHED one only with {@code republish}: it then gets a new idempotency key and new text.
     */
    @Transactional
    public Distribution retry(long id, boolean republish) {
        Distribution d = get(id);
        switch (d.status) {
            case PUBLISHING -> throw ProblemException.conflict("status", "It is being published right now.");
            case PUBLISHED -> {
                if (!republish) {
                    throw ProblemException.conflict("republish", "It was published"
                            + (d.externalUrl != null ? " at " + d.externalUrl : "") + "; pass republish=true to post it again.");
                }
                d.generation++;
                d.postText = null;
                d.externalId = null;
                d.externalUrl = null;
                d.publishedAt = null;
            }
            default -> {
            }
        }
        d.status = DistributionStatus.PENDING;
        d.attempts = 0;
        d.notBefore = clock.instant();
        d.error = null;
        d.updatedAt = clock.instant();
        return d;
    }

    @Transactional
    public Distribution cancel(long id) {
        Distribution d = get(id);
        if (d.status == DistributionStatus.PUBLISHED || d.status == DistributionStatus.PUBLISHING) {
            throw ProblemException.conflict("status", "It is " + d.status.name().toLowerCase() + "; only waiting, failed or"
                    + " unconfirmed posts can be cancelled.");
        }
        d.status = DistributionStatus.CANCELLED;
        d.updatedAt = clock.instant();
        return d;
    }

    /** An editor found the post on the network: UNCONFIRMED (or FAILED) becomes PUBLISHED. */
    @Transactional
    public Distribution confirm(long id, String externalUrl) {
        Distribution d = get(id);
        if (d.status != DistributionStatus.UNCONFIRMED && d.status != DistributionStatus.FAILED) {
            throw ProblemException.conflict("status", "Only unconfirmed or failed posts can be marked published; this one is "
                    + d.status + ".");
        }
        if (externalUrl != null && !externalUrl.isBlank()) {
            URI uri;
            try {
                uri = URI.create(externalUrl.strip());
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("externalUrl", "is not a valid URL");
            }
            if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                throw ProblemException.invalid("externalUrl", "must be an http(s) URL");
            }
            d.externalUrl = uri.toString();
        }
        d.status = DistributionStatus.PUBLISHED;
        d.publishedAt = clock.instant();
        d.error = null;
        d.updatedAt = clock.instant();
        return d;
    }

    /** Creates posts of a published article on the given channels (or every active one); returns the article's rows. */
    public List<Distribution> postArticle(long articleId, List<Long> channelIds) {
        Article a = Article.<Article>findByIdOptional(articleId).orElseThrow(() -> ProblemException.notFound("Article " + articleId));
        if (a.status != ArticleStatus.PUBLISHED) {
            throw ProblemException.conflict("status", "Only published articles can be posted; this one is " + a.status + ".");
        }
        ledger.createOn(DistributionKind.ARTICLE, articleId, channels(channelIds), clock.instant());
        return list(new Filter(articleId, null, null, null), null, 500);
    }

    /** Creates announcements of a digest issue on the given channels (or every active one). */
    public List<Distribution> announceIssue(long issueId, List<Long> channelIds) {
        DigestIssue.<DigestIssue>findByIdOptional(issueId).orElseThrow(() -> ProblemException.notFound("Digest issue " + issueId));
        ledger.createOn(DistributionKind.DIGEST_ANNOUNCEMENT, issueId, channels(channelIds), clock.instant());
        return list(new Filter(null, issueId, null, null), null, 500);
    }

    private static List<Long> channels(List<Long> requested) {
        List<Long> ids = requested == null || requested.isEmpty()
                ? Channel.<Channel>list("status <> ?1", ChannelStatus.DISABLED).stream().map(c -> c.id).toList()
                : requested;
        for (Long id : ids) {
            if (id == null || Channel.findById(id) == null) {
                throw ProblemException.invalid("channelIds", "channel " + id + " does not exist");
            }
        }
        if (ids.isEmpty()) {
            throw ProblemException.invalid("channelIds", "there is no active channel");
        }
        return ids;
    }
}
