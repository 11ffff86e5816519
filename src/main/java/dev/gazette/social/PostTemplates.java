package dev.gazette.social;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Singleton;

import dev.gazette.common.EditorTemplates;
import dev.gazette.social.spi.TextFit;

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
    /** Room for any post text, and a bound on what one render can produce (the values themselves are bounded). */
    static final int MAX_LENGTH = 1000;
    private static final String LINK_MISSING = "must contain {link}: posts bring readers back through the tracked link";

    private final EditorTemplates templates = new EditorTemplates(VALUES);
    private final SocialConfig config;

    PostTemplates(SocialConfig config) {
        this.config = config;
    }

    /**
     * The template of a channel, as {@link TextFit} uses it. A template that fails with real values (a comparison of
     * a title with a number, say) or leaves the link out for them is refused then too, never half-applied.
     */
    public TextFit.Template of(String channelTemplate) {
        String text = channelTemplate == null ? config.defaultTemplate() : channelTemplate;
        templates.parse(text);
        return (title, summary, hashtags, link) -> {
            Map<String, Object> values = new HashMap<>();
            values.put("title", title);
            values.put("summary", summary);
            values.put("hashtags", hashtags);
            values.put("link", link);
            String rendered;
            try {
                rendered = templates.render(text, values);
            } catch (EditorTemplates.Refused e) {
                throw e;
            } catch (RuntimeException e) {
                throw new EditorTemplates.Refused("cannot be rendered: " + e.getMessage());
            }
            if (!rendered.contains(link)) {
                throw new EditorTemplates.Refused(LINK_MISSING);
            }
            return rendered;
        };
    }

    /**
     * Why a template cannot be used, or null when it can: at most {@value #MAX_LENGTH} characters, only
     * {@link #VALUES}, rendering, and containing the link.
     */
    public String problem(String channelTemplate) {
        if (channelTemplate != null && channelTemplate.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters";
        }
        try {
            of(channelTemplate).render("Title", "Summary", "#topic", SAMPLE_LINK);
            return null;
        } catch (EditorTemplates.Refused e) {
            return e.getMessage();
        } catch (RuntimeException | StackOverflowError e) {
            return "is not a valid template: " + e.getMessage();
        }
    }
}
