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

    ArticleRenderer(SiteConfig site) {
        this.baseUrl = site.baseUrl() + "/";
    }

    public String toSafeHtml(BodyFormat format, String source) {
        String html = format == BodyFormat.MARKDOWN ? renderer.render(parser.parse(source)) : source;
        return sanitize(html);
    }

    public String sanitize(String html) {
        return Jsoup.clean(html, baseUrl, safelist, output).trim();
    }

    /** Plain text of an HTML fragment, for summaries and meta descriptions. */
    public static String text(String html) {
        return html == null ? "" : Jsoup.parse(html).text();
    }
}
