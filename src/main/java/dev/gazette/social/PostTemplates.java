package dev.gazette.social;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Singleton;

import dev.gazette.common.EditorTemplates;
import dev.gazette.social.spi.TextFit;
import io.quarkus.qute.TemplateException;

/**
 * Channels' text templates: plain text (nothing is HTML-escaped) with {@code {title}}, {@code {summary}},
 * {@code {link}} and {@code {hashtags}}, and nothing else: editors write them, so they are rendered by
 * {@link EditorTemplates}, which cannot reach configuration, beans or methods.
 */
@Singleton
public class PostTemplates {

    /** The values a post template receives. */
    public static final Set<String> VALUES = Set.of("title", "summary", "link", "hashtags");
    private static final String SAMPLE_LINK = "https://example.org/r/SAMPLE";

    private final EditorTemplates templates = new EditorTemplates(VALUES);
    private final SocialConfig config;

    PostTemplates(SocialConfig config) {
        this.config = config;
    }

    /** The template of a channel, as {@link TextFit} uses it. */
    public TextFit.Template of(String channelTemplate) {
        String text = channelTemplate == null ? config.defaultTemplate() : channelTemplate;
        templates.parse(text);
        return (title, summary, hashtags, link) -> {
            Map<String, Object> values = new HashMap<>();
            values.put("title", title);
            values.put("summary", summary);
            values.put("hashtags", hashtags);
            values.put("link", link);
            return templates.render(text, values);
        };
    }

    /**
     * Why a template cannot be used, or null when it can: it may use only {@link #VALUES}, must render, and must
     * contain the link.
     */
    public String problem(String channelTemplate) {
        try {
            String text = of(channelTemplate).render("Title", "Summary", "#topic", SAMPLE_LINK);
            return text.contains(SAMPLE_LINK) ? null : "must contain {link}: posts bring readers back through the tracked link";
        } catch (EditorTemplates.Refused e) {
            return e.getMessage();
        } catch (TemplateException | IllegalStateException e) {
            return "is not a valid template: " + e.getMessage();
        }
    }
}
