package dev.gazette.fediverse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.gazette.article.Article;
import dev.gazette.article.ArticleStatus;
import dev.gazette.common.config.SiteConfig;

/**
 * NodeInfo 2.1, which directory crawlers and server lists read: Gazette, its version, ActivityPub, one account, and
 * its published articles as local posts. Registrations are closed: readers subscribe, they do not get accounts.
 */
@ApplicationScoped
public class NodeInfo {

    public static final String SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/2.1";
    public static final String MEDIA_TYPE = "application/json; profile=\"" + SCHEMA + "#\"";

    private final Federation federation;
    private final SiteConfig site;
    private final String version;

    NodeInfo(Federation federation, SiteConfig site,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String version) {
        this.federation = federation;
        this.site = site;
        this.version = version;
    }

    /** The {@code /.well-known/nodeinfo} links document. */
    public Map<String, Object> links() {
        federation.requireEnabled();
        return Map.of("links", List.of(Map.of("rel", SCHEMA, "href", federation.baseUrl() + "/nodeinfo/2.1")));
    }

    @Transactional
    public Map<String, Object> document() {
        federation.requireEnabled();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("version", "2.1");
        doc.put("software", Map.of("name", "gazette", "version", version));
        doc.put("protocols", List.of("activitypub"));
        doc.put("services", Map.of("inbound", List.of(), "outbound", List.of("atom1.0", "rss2.0")));
        doc.put("openRegistrations", false);
        doc.put("usage", Map.of("users", Map.of("total", 1, "activeMonth", 1, "activeHalfyear", 1),
                "localPosts", Article.count("status", ArticleStatus.PUBLISHED)));
        doc.put("metadata", Map.of("nodeName", site.name(), "nodeDescription", site.description()));
        return doc;
    }
}
