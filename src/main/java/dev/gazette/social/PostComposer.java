package dev.gazette.social;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.gazette.article.Article;
import dev.gazette.article.media.MediaUrls;
import dev.gazette.common.config.SiteConfig;
import dev.gazette.common.error.ProblemException;
import dev.gazette.digest.DigestIssue;
import dev.gazette.digest.Newsletter;
import dev.gazette.link.LinkContextType;
import dev.gazette.link.TrackedLink;
import dev.gazette.link.TrackedLinkService;
import dev.gazette.link.Utm;
import dev.gazette.social.spi.Connector;
import dev.gazette.social.spi.LinkCard;
import dev.gazette.social.spi.Post;
import dev.gazette.social.spi.TextFit;
import dev.gazette.social.spi.TextRules;

/**
 * Turns a distribution into the post a connector sends: the channel's template filled with the article's title,
 * summary, hashtags and the distribution's own tracked link ({@code /r/{code}} with
 * {@code utm_source=<network>&utm_medium=social&utm_campaign=<slug>}), fitted to the network's limit.
 */
@ApplicationScoped
public class PostComposer {

    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    private final TrackedLinkService links;
    private final PostTemplates templates;
    private final SiteConfig site;

    PostComposer(TrackedLinkService links, PostTemplates templates, SiteConfig site) {
        this.links = links;
        this.templates = templates;
        this.site = site;
    }

    /** The post and the tracked link it carries. */
    public record Composed(Post post, TextRules rules, long linkId) {
    }

    /** What is posted: an article, or a digest issue's web copy. */
    record Subject(String title, String summary, List<String> topics, String url, String campaign, String imageUrl,
            String imageAlt, String language, String kind) {
    }

    /** Composes the post of a distribution, creating its tracked link on first use. */
    @Transactional
    public Composed compose(Distribution d, Channel channel, Connector connector, String fixedText) {
        Subject subject = d.kind == DistributionKind.ARTICLE ? article(d.articleId) : issue(d.issueId);
        TrackedLink link = links.create(subject.url(), LinkContextType.DISTRIBUTION, d.id,
                channel.network.utmSource() + ": " + channel.name, Utm.social(channel.network.utmSource(), subject.campaign()));
        String shortUrl = links.shortUrl(link);
        TextRules rules = connector.textRules(ChannelService.withoutCredentials(channel));
        String text = fixedText != null ? fixedText : fit(channel, subject, shortUrl, rules);
        String key = "gazette-distribution-" + d.id + "-" + d.generation;
        return new Composed(post(subject, text, shortUrl, key), rules, link.id);
    }

    /** The post a channel would get for an article, with {@code link} standing for the tracked link. */
    @Transactional
    public Composed preview(long articleId, Channel channel, Connector connector, String link) {
        Subject subject = article(articleId);
        TextRules rules = connector.textRules(ChannelService.withoutCredentials(channel));
        return new Composed(post(subject, fit(channel, subject, link, rules), link, "preview"), rules, 0);
    }

    /**
     * The post for an article not saved yet, from the editor's fields as typed: title, summary, the names of its
     * topics and its lead image.
     */
    public Composed previewDraft(String title, String summary, List<String> topicNames, String imageUrl, String imageAlt,
            Channel channel, Connector connector, String link) {
        Subject subject = new Subject(title, summary, topicNames, link, "draft", imageUrl, imageAlt, site.language(), "article");
        TextRules rules = connector.textRules(ChannelService.withoutCredentials(channel));
        return new Composed(post(subject, fit(channel, subject, link, rules), link, "preview"), rules, 0);
    }

    private String fit(Channel channel, Subject subject, String link, TextRules rules) {
        List<String> hashtags = subject.topics().stream().map(PostComposer::hashtag).filter(h -> h.length() > 1).toList();
        TextFit.Template template = templates.of(channel.template);
        return TextFit.fit(template, subject.title(), subject.summary(), hashtags, link, rules);
    }

    private Post post(Subject subject, String text, String link, String key) {
        // an uploaded image's 1200×630 variant, the size every network's card is drawn at
        LinkCard card = new LinkCard(link, subject.title(), subject.summary(), MediaUrls.card(subject.imageUrl()),
                subject.imageAlt());
        return new Post(text, link, subject.title(), subject.summary(), subject.topics(), card, subject.language(), key,
                subject.kind());
    }

    private Subject article(long id) {
        Article a = Article.findByIdWithTopics(id).orElseThrow(() -> ProblemException.notFound("Article " + id));
        return new Subject(a.title, a.summary, a.topics.stream().map(t -> t.name).toList(),
                site.baseUrl() + "/articles/" + a.slug, a.slug, a.imageUrl, a.imageAlt, a.language, "article");
    }

    private Subject issue(long id) {
        DigestIssue issue = DigestIssue.<DigestIssue>findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("Digest issue " + id));
        Newsletter n = Newsletter.findById(issue.newsletterId);
        return new Subject(issue.subject, n.description, List.of(), site.baseUrl() + "/digests/" + n.slug + "/" + issue.number,
                n.slug, null, null, site.language(), "digest_announcement");
    }

    /** "Climate change" → "#ClimateChange": words joined, each capitalised; letters and digits of any script. */
    static String hashtag(String topic) {
        StringBuilder tag = new StringBuilder("#");
        for (String word : NOT_WORD.split(topic.strip())) {
            if (!word.isEmpty()) {
                tag.append(word.substring(0, 1).toUpperCase(Locale.ROOT)).append(word.substring(1));
            }
        }
        return tag.toString();
    }
}
