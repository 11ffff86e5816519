package dev.gazette.common.web;

import java.util.List;

import jakarta.inject.Singleton;

import dev.gazette.common.config.SiteConfig;

/**
 * Builds the {@link Site} that every public page of every feature shows around its content, from
 * {@code gazette.site.*}.
 */
@Singleton
public class SiteChrome {

    private final Site site;

    SiteChrome(SiteConfig config) {
        List<Site.Link> social = config.socialLinks().entrySet().stream()
                .map(e -> new Site.Link(capitalize(e.getKey()), e.getValue()))
                .sorted((a, b) -> a.label().compareTo(b.label())).toList();
        this.site = new Site(config.name(), config.description(), config.baseUrl(), config.language(), social,
                config.xHandle().orElse(null));
    }

    public Site site() {
        return site;
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
