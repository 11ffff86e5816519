package dev.gazette.article.web;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gazette.article.ArticlesConfig;
import dev.gazette.common.SignedTokens;
import dev.gazette.common.config.SiteConfig;

/**
 * Private preview links to unpublished articles: {@code /preview/{token}}, where the token is signed
 * ({@link SignedTokens}, purpose {@value #PURPOSE}), names the article and expires after
 * {@code gazette.articles.preview-link-ttl}. Nothing else opens a draft to someone who is not signed in.
 */
@ApplicationScoped
public class ArticlePreviews {

    static final String PURPOSE = "article-preview";

    /** A preview link and when it stops working. */
    public record Link(String url, Instant expiresAt) {
    }

    /** What a preview request gets. */
    public record Page(int status, String html) {
    }

    private final SignedTokens tokens;
    private final ArticlesConfig config;
    private final SiteConfig site;
    private final Clock clock;
    private final ArticlePages pages;

    ArticlePreviews(SignedTokens tokens, ArticlesConfig config, SiteConfig site, Clock clock, ArticlePages pages) {
        this.tokens = tokens;
        this.config = config;
        this.site = site;
        this.clock = clock;
        this.pages = pages;
    }

    /** A fresh link to the article's preview. */
    public Link link(long articleId) {
        Instant expires = clock.instant().plus(config.previewLinkTtl());
        return new Link(site.baseUrl() + "/preview/" + tokens.sign(PURPOSE, articleId, 0, expires), expires);
    }

    /** The preview page of the article the token names, or why there is none. */
    public Page open(String token) {
        SignedTokens.Check check = tokens.check(token, PURPOSE);
        if (check instanceof SignedTokens.Valid valid) {
            Optional<String> html = pages.preview(valid.subject());
            if (html.isPresent()) {
                return new Page(200, html.get());
            }
            return message(404, "Preview not found", "The article of this preview no longer exists.");
        }
        if (check instanceof SignedTokens.Expired) {
            return message(410, "Preview link expired", "This preview link has expired. Ask the editor for a new one.");
        }
        return message(404, "Preview not found", "This preview link is not valid.");
    }

    /** The preview of an article for a signed-in editor. */
    public Optional<String> forEditor(long articleId) {
        return pages.preview(articleId);
    }

    private Page message(int status, String title, String text) {
        return new Page(status, pages.message(status, title, text).body());
    }
}
