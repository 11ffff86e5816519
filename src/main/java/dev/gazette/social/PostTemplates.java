package dev.gazette.social;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import dev.gazette.social.spi.TextFit;
import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateException;

/**
 * Channels' text templates: Qute, plain text (nothing is HTML-escaped), with {@code {title}}, {@code {summary}},
 * {@code {link}} and {@code {hashtags}}. Parsed templates are cached by their text.
 */
@Singleton
public class PostTemplates {

    private static final int CACHE_LIMIT = 500;
    private static final String SAMPLE_LINK = "https://example.org/r/SAMPLE";

    private final Engine engine;
    private final SocialConfig config;
    private final Map<String, Template> parsed = new ConcurrentHashMap<>();

    PostTemplates(Engine engine, SocialConfig config) {
        this.engine = engine;
        this.config = config;
    }

    /** The template of a channel, as {@link TextFit} uses it. */
    public TextFit.Template of(String channelTemplate) {
        Template template = parse(channelTemplate == null ? config.defaultTemplate() : channelTemplate);
        return (title, summary, hashtags, link) -> template.data("title", title).data("summary", summary)
                .data("hashtags", hashtags).data("link", link).render();
    }

    /** Why a template cannot be used, or null when it can: it must parse, render, and contain the link. */
    public String problem(String channelTemplate) {
        try {
            String text = of(channelTemplate).render("Title", "Summary", "#topic", SAMPLE_LINK);
            return text.contains(SAMPLE_LINK) ? null : "must contain {link}: posts bring readers back through the tracked link";
        } catch (TemplateException | IllegalStateException e) {
            return "is not a valid template: " + e.getMessage();
        }
    }

    private Template parse(String text) {
        Template template = parsed.get(text);
        if (template == null) {
            template = engine.parse(text);
            if (parsed.size() < CACHE_LIMIT) {
                parsed.put(text, template);
            }
        }
        return template;
    }
}
