package dev.gazette.digest;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import jakarta.inject.Singleton;

import dev.gazette.link.ReaderClicks;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateExtension;
import io.quarkus.qute.TemplateInstance;

/**
 * Renders digests with type-safe Qute templates: each article block once per issue (shared by every reader), then per
 * reader only the layout around them with the greeting and the reader's own links. HTML uses inline styles only.
 */
@Singleton
public class DigestRenderer {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance item(DigestArticle article, boolean compact);

        static native TemplateInstance itemText(DigestArticle article, boolean compact);

        static native TemplateInstance alsoRead(List<DigestArticle> articles);

        static native TemplateInstance alsoReadText(List<DigestArticle> articles);

        static native TemplateInstance digest(DigestView view);

        static native TemplateInstance digestText(DigestView view);
    }

    /** An article rendered once for all readers of an issue. */
    public record Block(DigestArticle article, String html, String text) {
    }

    /** One reader's message body. */
    public record Body(String html, String text) {
    }

    public Block block(DigestArticle article, boolean compact) {
        return new Block(article, Templates.item(article, compact).render(), Templates.itemText(article, compact).render());
    }

    public String alsoReadHtml(List<DigestArticle> articles) {
        return articles.isEmpty() ? "" : Templates.alsoRead(articles).render();
    }

    public String alsoReadText(List<DigestArticle> articles) {
        return articles.isEmpty() ? "" : Templates.alsoReadText(articles).render();
    }

    public Body body(DigestView view) {
        return new Body(Templates.digest(view).render(), Templates.digestText(view).render());
    }

    /**
     * Joins pre-rendered blocks without copying them more than once, putting a reader's token on their tracked links
     * when a tagger is given.
     */
    static String join(List<Block> blocks, boolean html, ReaderClicks.Tagger tagger) {
        int size = 0;
        for (Block b : blocks) {
            size += html ? b.html().length() : b.text().length();
        }
        StringBuilder out = new StringBuilder(tagger == null ? size : size + 128 * blocks.size());
        for (Block b : blocks) {
            String block = html ? b.html() : b.text();
            if (tagger == null) {
                out.append(block);
            } else {
                tagger.appendTo(out, block, html);
            }
        }
        return out.toString();
    }

    /** Template helpers. */
    @TemplateExtension
    static class Extensions {
        static String date(DigestArticle article) {
            return article.publishedAt() == null ? "" : DATE.format(article.publishedAt());
        }
    }
}
