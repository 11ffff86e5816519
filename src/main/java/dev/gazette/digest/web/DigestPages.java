package dev.gazette.digest.web;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.gazette.article.Article;
import dev.gazette.article.ArticleStatus;
import dev.gazette.article.web.ArticlePages;
import dev.gazette.article.web.PageCache;
import dev.gazette.article.web.PageModels.Teaser;
import dev.gazette.common.SiteTime;
import dev.gazette.common.web.Site;
import dev.gazette.common.web.SiteChrome;
import dev.gazette.digest.DeliveryLedger;
import dev.gazette.digest.DigestIssue;
import dev.gazette.digest.IssueKind;
import dev.gazette.digest.IssueStatus;
import dev.gazette.digest.Newsletter;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The public web copy of an issue: the newsletter's articles of the issue's period, the same for every reader (the
 * personal parts of a digest never appear on the web).
 */
@ApplicationScoped
public class DigestPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance issue(Site site, String newsletter, String description, String title, String label,
                String url, String noteHtml, List<Teaser> articles);
    }

    private final ArticlePages pages;
    private final SiteChrome chrome;
    private final DeliveryLedger ledger;
    private final SiteTime time;

    DigestPages(ArticlePages pages, SiteChrome chrome, DeliveryLedger ledger, SiteTime time) {
        this.time = time;
        this.pages = pages;
        this.chrome = chrome;
        this.ledger = ledger;
    }

    public PageCache.Entry notFound() {
        return pages.message(404, "Issue not found", "There is no newsletter issue at this address.");
    }

    @Transactional
    public PageCache.Entry issue(String newsletterSlug, String number) {
        Newsletter n = Newsletter.findBySlug(newsletterSlug).orElse(null);
        DigestIssue issue = null;
        if (n != null && number.matches("\\d{1,9}")) {
            issue = DigestIssue.findByNumber(n.id, Integer.parseInt(number)).orElse(null);
        } else if (n != null && number.matches("special-\\d{1,9}")) {
            issue = DigestIssue.findSpecial(n.id, Integer.parseInt(number.substring("special-".length()))).orElse(null);
        }
        if (issue == null || issue.status == IssueStatus.CANCELLED || issue.status == IssueStatus.PLANNED) {
            return notFound();
        }
        Long[] topics = n.topics.stream().map(t -> t.id).toArray(Long[]::new);
        List<Long> ids;
        try {
            // a special edition is its chosen articles (its pins)
            ids = issue.kind == IssueKind.SPECIAL ? new ArrayList<>()
                    : new ArrayList<>(ledger.latest(new DeliveryLedger.Scope(n.id, false, n.allTopics, topics, n.maxItems),
                            issue.periodStart, issue.periodEnd));
        } catch (SQLException e) {
            throw new IllegalStateException("Loading the issue's articles failed", e);
        }
        // as in readers' copies: pinned articles first, in order, and never an excluded one
        List<Long> pinned = List.of(issue.pinnedIds);
        ids.removeAll(pinned);
        ids.removeAll(List.of(issue.excludedIds));
        ids.addAll(0, pinned);
        Map<Long, Article> found = Article.<Article> list("id in ?1 and status = ?2", ids, ArticleStatus.PUBLISHED).stream()
                .collect(Collectors.toMap(a -> a.id, a -> a));
        List<Teaser> teasers = ids.stream().map(found::get).filter(java.util.Objects::nonNull).map(pages::teaser).toList();
        String url = chrome.site().baseUrl() + "/digests/" + n.slug + "/" + issue.webName();
        String html = Templates.issue(chrome.site(), n.name, n.description, issue.subject,
                issue.label() + " · " + time.date(issue.periodEnd), url, issue.noteHtml, teasers).render();
        return PageCache.entry(200, html, issue.updatedAt);
    }
}
