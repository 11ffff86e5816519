package dev.gazette.digest;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.gazette.article.Article;
import dev.gazette.article.ArticleStatus;
import dev.gazette.article.media.MediaUrls;
import dev.gazette.common.SignedTokens;
import dev.gazette.common.config.SiteConfig;
import dev.gazette.common.error.ProblemException;
import dev.gazette.link.LinkContextType;
import dev.gazette.link.ReaderClicks;
import dev.gazette.link.TrackedLinkService;
import dev.gazette.link.Utm;
import dev.gazette.subscriber.SubscriberLinks;
import io.quarkus.mailer.Mail;
import io.quarkus.panache.common.Sort;

/**
 * Builds each reader's digest: the issue's shared parts once (cached per issue), then per reader the article list the
 * ledger selected, the greeting, the reader's signed links and the headers bulk mail needs (List-Unsubscribe with
 * one-click, List-Id, a deterministic Message-ID, a VERP bounce address, Feedback-ID, Auto-Submitted).
 */
@ApplicationScoped
public class DigestAssembler {

    static final String OPEN_PURPOSE = "open";
    private static final Duration CONTEXT_TTL = Duration.ofSeconds(30);
    private static final int ALSO_READ = 3;

    private final DigestRenderer renderer;
    private final SubscriberLinks links;
    private final TrackedLinkService trackedLinks;
    private final ReaderClicks readerClicks;
    private final SignedTokens tokens;
    private final SiteConfig site;
    private final DigestConfig config;
    private final Clock clock;
    private final Map<Long, IssueContext> contexts = new ConcurrentHashMap<>();
    private final String host;

    DigestAssembler(DigestRenderer renderer, SubscriberLinks links, TrackedLinkService trackedLinks, ReaderClicks readerClicks,
            SignedTokens tokens, SiteConfig site, DigestConfig config, Clock clock) {
        this.renderer = renderer;
        this.links = links;
        this.trackedLinks = trackedLinks;
        this.readerClicks = readerClicks;
        this.tokens = tokens;
        this.site = site;
        this.config = config;
        this.clock = clock;
        this.host = URI.create(site.baseUrl()).getHost();
    }

    /** A reader about to receive an issue; a delivery id of 0 is a preview or test, whose links are not the reader's. */
    public record Reader(long deliveryId, long subscriberId, String email, String name) {
    }

    /** The issue's shared parts, rebuilt when older than a few seconds so that pause and edits take effect. */
    public IssueContext context(long issueId) {
        Instant now = clock.instant();
        IssueContext cached = contexts.get(issueId);
        if (cached != null && !cached.builtAt.plus(CONTEXT_TTL).isBefore(now) && !cached.builtAt.isAfter(now)) {
            return cached;
        }
        IssueContext fresh = buildContext(issueId, now);
        if (cached != null) {
            // Article blocks do not change with time; an edit of the newsletter clears the cache instead.
            fresh.blocks.putAll(cached.blocks);
        }
        contexts.put(issueId, fresh);
        return fresh;
    }

    /** Forgets cached issues, e.g. after an editor changed a newsletter. */
    public void clear() {
        contexts.clear();
    }

    @Transactional
    IssueContext buildContext(long issueId, Instant now) {
        DigestIssue issue = DigestIssue.findById(issueId);
        return contextFor(issue, Newsletter.findWithTopics(issue.newsletterId).orElseThrow(), now);
    }

    /**
     * The shared parts of a newsletter's next issue, for previews and tests, with the editors' note, subject, pins and
     * exclusions when the next issue is planned: nothing is stored, links are not tracked.
     */
    @Transactional
    public IssueContext previewContext(long newsletterId) {
        Newsletter n = Newsletter.findWithTopics(newsletterId).orElseThrow(() -> ProblemException.notFound("Newsletter " + newsletterId));
        DigestIssue issue = new DigestIssue();
        issue.number = n.issueCount + 1;
        issue.subject = n.name;
        DigestIssue.findPlanned(n.id).ifPresent(planned -> {
            issue.number = planned.number;
            issue.subject = planned.subject;
            issue.issueDate = planned.issueDate;
            issue.subjectTemplate = planned.subjectTemplate;
            issue.preheader = planned.preheader;
            issue.noteMarkdown = planned.noteMarkdown;
            issue.noteHtml = planned.noteHtml;
            issue.pinnedIds = planned.pinnedIds;
            issue.pinnedForAll = planned.pinnedForAll;
            issue.excludedIds = planned.excludedIds;
        });
        issue.id = 0L;
        issue.status = IssueStatus.SENDING;
        return contextFor(issue, n, clock.instant());
    }

    private IssueContext contextFor(DigestIssue issue, Newsletter n, Instant now) {
        List<Article> recent = Article.find("status = ?1 and publishedAt > ?2 and publishedAt <= ?3",
                Sort.descending("publishedAt", "id"), ArticleStatus.PUBLISHED, now.minus(Duration.ofDays(7)), now).page(0, 12).list();
        IssueContext context = new IssueContext(issue, n, webUrl(n.slug, issue), now);
        Set<Long> excluded = Set.of(issue.excludedIds);
        for (Article a : recent) {
            if (excluded.contains(a.id)) {
                // left out by the editors: not in "Also read" either
                continue;
            }
            context.alsoRead.add(renderer.block(article(context, a), true));
        }
        return context;
    }

    public String webUrl(String newsletterSlug, DigestIssue issue) {
        return site.baseUrl() + "/digests/" + newsletterSlug + "/" + issue.webName();
    }

    /** Renders the blocks of these articles that the issue has not rendered yet (one query for all of them). */
    public void prepare(IssueContext context, Collection<Long> articleIds) {
        Set<Long> missing = new HashSet<>();
        for (Long id : articleIds) {
            if (!context.blocks.containsKey(id)) {
                missing.add(id);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        for (DigestArticle article : load(context, missing)) {
            context.blocks.put(article.id(), renderer.block(article, context.compact));
        }
    }

    @Transactional
    List<DigestArticle> load(IssueContext context, Set<Long> ids) {
        List<Article> articles = Article.list("id in ?1", ids);
        return articles.stream().map(a -> article(context, a)).toList();
    }

    private DigestArticle article(IssueContext context, Article a) {
        String url = site.baseUrl() + "/articles/" + a.slug;
        Utm utm = new Utm(context.newsletterSlug, "email", context.newsletterSlug + "-" + context.number, null, null);
        String link = context.trackLinks && context.issueId != 0
                ? trackedLinks.shortUrl(trackedLinks.create(url, LinkContextType.DIGEST_ISSUE, context.issueId, a.slug, utm))
                : url + "?utm_source=" + context.newsletterSlug + "&utm_medium=email&utm_campaign=" + utm.campaign();
        return new DigestArticle(a.id, a.title, a.summary, link, MediaUrls.card(a.imageUrl), a.imageAlt, a.author, a.publishedAt);
    }

    /** The reader's message, or null when there is nothing to send them. */
    public Mail message(IssueContext context, Reader reader, List<Long> articleIds) {
        List<DigestRenderer.Block> items = new ArrayList<>(articleIds.size());
        for (Long id : articleIds) {
            DigestRenderer.Block block = context.blocks.get(id);
            if (block != null) {
                items.add(block);
            }
        }
        if (items.isEmpty()) {
            return null;
        }
        List<DigestArticle> also = new ArrayList<>(ALSO_READ);
        List<Long> alsoIds = new ArrayList<>(ALSO_READ);
        for (DigestRenderer.Block block : context.alsoRead) {
            if (also.size() == ALSO_READ) {
                break;
            }
            if (!articleIds.contains(block.article().id())) {
                also.add(block.article());
                alsoIds.add(block.article().id());
            }
        }
        String[] alsoRead = context.alsoReadSections.computeIfAbsent(alsoIds,
                ids -> new String[] {renderer.alsoReadHtml(also), renderer.alsoReadText(also)});
        ReaderClicks.Tagger tagger = readerLinks(context, reader);
        String unsubscribeToken = links.unsubscribeToken(reader.subscriberId(), context.issueId);
        String unsubscribeUrl = links.unsubscribeUrl(unsubscribeToken);
        String pixel = context.trackOpens ? site.baseUrl() + "/o/" + tokens.sign(OPEN_PURPOSE, reader.deliveryId(), 0,
                clock.instant().plus(Duration.ofDays(90))) + ".gif" : null;
        String greeting = reader.name() == null || reader.name().isBlank() ? "Hello," : "Hello " + reader.name() + ",";
        DigestView view = new DigestView(site.name(), site.baseUrl(), context.newsletterName, context.description,
                context.issueLabel, greeting + " here is what is new since your last " + context.newsletterName + ".",
                DigestRenderer.join(items, true, tagger), DigestRenderer.join(items, false, tagger),
                tagger == null ? alsoRead[0] : tagger.html(alsoRead[0]), tagger == null ? alsoRead[1] : tagger.text(alsoRead[1]),
                context.webUrl, links.preferencesUrl(reader.subscriberId()), unsubscribeUrl, pixel,
                context.accent, context.footerText, context.postalAddress, preheader(context, items),
                tagger == null ? context.noteHtml : tagger.html(context.noteHtml),
                tagger == null ? context.noteText : tagger.text(context.noteText), context.logoUrl);
        DigestRenderer.Body body = renderer.body(view);
        Mail mail = new Mail()
                .setFrom(context.from)
                .setTo(List.of(reader.email()))
                .setSubject(subject(context, items))
                .setText(body.text())
                .setHtml(body.html())
                .setBounceAddress(bounceAddress(reader.deliveryId()))
                .addHeader("List-Unsubscribe", "<" + unsubscribeUrl + ">, <mailto:" + unsubscribeMailbox()
                        + "?subject=unsubscribe%20" + unsubscribeToken + ">")
                .addHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
                .addHeader("List-Id", context.listId)
                .addHeader("Auto-Submitted", "auto-generated")
                .addHeader("Message-ID", messageId(context.issueId, reader.subscriberId()))
                .addHeader("Feedback-ID", context.issueId + ":" + context.newsletterSlug + ":digest:" + config.feedbackSenderId());
        if (context.replyTo != null) {
            mail.setReplyTo(context.replyTo);
        }
        return mail;
    }

    /**
     * Puts the reader's token on the issue's tracked links, so that their clicks count as their activity: only in a
     * delivery (never in previews and tests) and only when the newsletter tracks links (without, there is nothing to
     * tag). The mail is sent now, which is when a scanner's click would come.
     */
    private ReaderClicks.Tagger readerLinks(IssueContext context, Reader reader) {
        if (!context.trackLinks || context.issueId == 0 || reader.deliveryId() == 0) {
            return null;
        }
        return readerClicks.tagger(reader.subscriberId(), clock.instant());
    }

    /** The editor's subject for the issue with this reader's top story, or the default: the lead headline when alone. */
    static String subject(IssueContext context, List<DigestRenderer.Block> items) {
        String top = items.get(0).article().title();
        if (context.subjectTemplate != null) {
            // a headline or name with a line break must not become a second header line
            String subject = NextIssues.renderSubject(context.subjectTemplate, top, context.newsletterName, context.number,
                    context.issueDate).replaceAll("[\\p{Cntrl}]+", " ");
            if (!subject.isBlank()) {
                return subject;
            }
        }
        return items.size() == 1 ? context.subject + ": " + top : context.subject;
    }

    /** The editor's preheader, or the reader's first headlines. */
    private static String preheader(IssueContext context, List<DigestRenderer.Block> items) {
        if (context.preheader != null) {
            return context.preheader;
        }
        StringBuilder text = new StringBuilder();
        for (DigestRenderer.Block item : items) {
            if (text.length() > 0) {
                if (text.length() > 120) {
                    break;
                }
                text.append(" · ");
            }
            text.append(item.article().title());
        }
        return text.toString();
    }

    public String messageId(long issueId, long subscriberId) {
        return "<issue-" + issueId + ".subscriber-" + subscriberId + "@" + config.messageIdDomain().orElse(host) + ">";
    }

    public String bounceAddress(long deliveryId) {
        return config.bounceAddress().orElse("bounce+{delivery}@" + host).replace("{delivery}", "d" + deliveryId);
    }

    public String unsubscribeMailbox() {
        return config.unsubscribeMailbox().orElse("unsubscribe@" + host);
    }
}
