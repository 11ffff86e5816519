package dev.gazette.article;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.commonmark.Extension;
import org.commonmark.ext.gfm.strikethrough.StrikethroughExtension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.safety.Safelist;

import dev.gazette.common.config.SiteConfig;

/**
 * Renders article bodies to HTML that is safe to emit as is in pages, feeds and emails: Markdown through
 * commonmark, then everything through a jsoup allow-list (no scripts, event handlers, styles, SVG or
 * non-HTTP links).
 */
@ApplicationScoped
public class ArticleRenderer {

    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create(), StrikethroughExtension.create());

    private final Parser parser = Parser.builder().extensions(EXTENSIONS).build();
    private final HtmlRenderer renderer = HtmlRenderer.builder().extensions(EXTENSIONS).build();
    private final Safelist safelist = Safelist.relaxed()
            .addTags("figure", "figcaption", "hr", "del", "s", "abbr", "mark")
            .addAttributes("abbr", "title")
            .removeProtocols("a", "href", "ftp")
            .addAttributes("a", "rel")
            .addEnforcedAttribute("a", "rel", "noopener")
            .preserveRelativeLinks(true);
    private final Document.OutputSettings output = new Document.OutputSettings().prettyPrint(false);
    private final String baseUrl;
    private final BodyLimits limits;

    ArticleRenderer(SiteConfig site, ArticlesConfig articles) {
        this.baseUrl = site.baseUrl() + "/";
        this.limits = new BodyLimits(articles.maxBodyLength(), articles.maxBodyDepth());
    }

    /** A body beyond the configured length or nesting depth; the message completes "The body ...". */
    public static class TooComplex extends RuntimeException {
        public TooComplex(String message) {
            super(message, null, false, false);
        }
    }

    /** Throws {@link TooComplex} when a body is over the configured length or nesting depth. */
    public void check(BodyFormat format, String source) {
        limits.checkSource(format, source);
    }

    /** Safe HTML of a body; throws {@link TooComplex} when it is over the limits, before any parsing. */
    public String toSafeHtml(BodyFormat format, String source) {
        limits.checkSource(format, source);
        try {
            String html = source;
            if (format == BodyFormat.MARKDOWN) {
                html = renderer.render(parser.parse(source));
                limits.checkHtml(html); // emphasis and indented lists nest too
            }
            return Jsoup.clean(html, baseUrl, safelist, output).trim();
        } catch (StackOverflowError e) {
            // the limits should prevent this; a body that still gets here is refused, not a server error
            throw new TooComplex("nests too deep to be rendered");
        }
    }

    /** Safe HTML of an HTML fragment, within the same limits. */
    public String sanitize(String html) {
        return toSafeHtml(BodyFormat.HTML, html);
    }

    /** Plain text of an HTML fragment within the body limits (titles and summaries of imported feeds). */
    public String boundedText(String html) {
        if (html == null) {
            return "";
        }
        limits.checkSource(BodyFormat.HTML, html);
        return text(html);
    }

    /** Plain text of an HTML fragment, for summaries and meta descriptions. */
    public static String text(String html) {
        return html == null ? "" : Jsoup.parse(html).text();
    }
}
