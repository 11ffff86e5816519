package dev.gazette.article.feed;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.rometools.rome.feed.synd.SyndCategory;
import com.rometools.rome.feed.synd.SyndCategoryImpl;
import com.rometools.rome.feed.synd.SyndContent;
import com.rometools.rome.feed.synd.SyndContentImpl;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndEntryImpl;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.feed.synd.SyndFeedImpl;
import com.rometools.rome.feed.synd.SyndLink;
import com.rometools.rome.feed.synd.SyndLinkImpl;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.SyndFeedOutput;

import org.jsoup.nodes.Entities;

import dev.gazette.article.Article;
import dev.gazette.article.ArticleStatus;
import dev.gazette.article.Topic;
import dev.gazette.article.web.PageCache;
import dev.gazette.common.config.SiteConfig;

/**
 * Writes feeds with ROME: absolute links, the article page as GUID, summary as description and the sanitised body
 * as full content.
 */
@ApplicationScoped
public class FeedWriter {

    static final String RSS = "rss_2.0";
    static final String ATOM = "atom_1.0";
    static final int ITEMS = 30;

    private final SiteConfig site;
    private final EntityManager em;

    FeedWriter(SiteConfig site, EntityManager em) {
        this.site = site;
        this.em = em;
    }

    @Transactional
    public PageCache.Entry site(String type) {
        List<Long> ids = em.createQuery("select a.id from Article a where a.status = :s order by a.publishedAt desc, a.id desc",
                Long.class).setParameter("s", ArticleStatus.PUBLISHED).setMaxResults(ITEMS).getResultList();
        String self = site.baseUrl() + (type.equals(ATOM) ? "/atom.xml" : "/feed.xml");
        return write(type, site.name(), site.description(), site.baseUrl() + "/", self, Article.withTopics(ids));
    }

    @Transactional
    public PageCache.Entry topic(String slug) {
        Optional<Topic> topic = Topic.findBySlug(slug);
        if (topic.isEmpty()) {
            return new PageCache.Entry(404, "", "", null);
        }
        List<Long> ids = em.createQuery("select a.id from Article a join a.topics t where t.id = :t and a.status = :s"
                + " order by a.publishedAt desc, a.id desc", Long.class)
                .setParameter("t", topic.get().id).setParameter("s", ArticleStatus.PUBLISHED)
                .setMaxResults(ITEMS).getResultList();
        String page = site.baseUrl() + "/topics/" + slug;
        String description = topic.get().description != null ? topic.get().description : topic.get().name;
        return write(RSS, topic.get().name + " — " + site.name(), description, page, page + "/feed.xml",
                Article.withTopics(ids));
    }

    private PageCache.Entry write(String type, String title, String description, String link, String self,
            List<Article> articles) {
        SyndFeed feed = new SyndFeedImpl();
        feed.setFeedType(type);
        feed.setTitle(text(type, title));
        feed.setDescription(text(type, description));
        feed.setLink(link);
        feed.setUri(self);
        feed.setLanguage(site.language());
        SyndLink selfLink = new SyndLinkImpl();
        selfLink.setRel("self");
        selfLink.setHref(self);
        selfLink.setType(type.equals(ATOM) ? "application/atom+xml" : "application/rss+xml");
        SyndLink alternate = new SyndLinkImpl();
        alternate.setRel("alternate");
        alternate.setHref(link);
        alternate.setType("text/html");
        feed.setLinks(List.of(alternate, selfLink));
        Instant newest = articles.stream().map(a -> a.updatedAt).max(Instant::compareTo).orElse(Instant.EPOCH);
        feed.setPublishedDate(Date.from(newest));
        List<SyndEntry> entries = new ArrayList<>();
        for (Article a : articles) {
            entries.add(entry(type, a));
        }
        feed.setEntries(entries);
        try {
            String xml = new SyndFeedOutput().outputString(feed);
            return PageCache.entry(200, xml, articles.isEmpty() ? null : newest);
        } catch (FeedException e) {
            throw new IllegalStateException("Cannot write the " + type + " feed", e);
        }
    }

    /**
     * Plain text as each format needs it. Atom says {@code type="text"}; RSS 2.0 has no such attribute and feed readers
     * take its titles, descriptions, authors and categories for HTML, so the text is escaped as HTML there (and again as XML by ROME): a
     * summary {@code <img onerror=…>} reaches the reader as those characters, not as an element.
     */
    static String text(String type, String value) {
        return value == null || type.equals(ATOM) ? value : Entities.escape(value);
    }

    private SyndEntry entry(String type, Article a) {
        String url = site.baseUrl() + "/articles/" + a.slug;
        SyndEntry entry = new SyndEntryImpl();
        entry.setTitle(text(type, a.title));
        entry.setLink(url);
        entry.setUri(url);
        entry.setPublishedDate(Date.from(a.publishedAt));
        entry.setUpdatedDate(Date.from(a.updatedAt));
        if (a.author != null) {
            entry.setAuthor(text(type, a.author));
        }
        if (a.summary != null) {
            SyndContent summary = new SyndContentImpl();
            summary.setType("text/plain");
            summary.setValue(text(type, a.summary));
            entry.setDescription(summary);
        }
        SyndContent body = new SyndContentImpl();
        body.setType("text/html");
        body.setValue(a.bodyHtml);
        entry.setContents(List.of(body));
        List<SyndCategory> categories = new ArrayList<>();
        for (Topic t : a.topics) {
            SyndCategory c = new SyndCategoryImpl();
            c.setName(text(type, t.name));
            categories.add(c);
        }
        entry.setCategories(categories);
        return entry;
    }
}
