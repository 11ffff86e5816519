package dev.gazette.social;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.gazette.article.Article;
import dev.gazette.common.EditorTemplates;
import dev.gazette.common.config.SiteConfig;
import dev.gazette.common.error.ProblemException;
import dev.gazette.link.LinkCodes;
import dev.gazette.link.TrackedLink;
import dev.gazette.social.spi.Connector;
import dev.gazette.social.spi.LinkCard;
import dev.gazette.social.spi.TextRules;

/**
 * What each channel will post for an article: the exact text, its length as the network counts it, and the card.
 */
@ApplicationScoped
public class SocialPreview {

    private final ChannelService channels;
    private final Connectors connectors;
    private final PostComposer composer;
    private final SiteConfig site;

    SocialPreview(ChannelService channels, Connectors connectors, PostComposer composer, SiteConfig site) {
        this.channels = channels;
        this.connectors = connectors;
        this.composer = composer;
        this.site = site;
    }

    /**
     * One channel's preview.
     *
     * @param linkFinal false when the post's tracked link does not exist yet: the text then shows a stand-in of the
     *        same length, so the counts are exact
     * @param cardSent true when Gazette sends the card; otherwise the network builds it from the page's Open Graph tags
     */
    public record ChannelPreview(long channelId, String channel, Network network, ChannelStatus channelStatus, String text,
            int length, int limit, String unit, boolean fits, String link, boolean linkFinal, LinkCard card,
            boolean cardSent, DistributionStatus distributionStatus, String problem) {
    }

    /**
     * What each channel would post for an article not saved yet, from the fields as typed; the link is a stand-in of
     * the tracked link's length, so the counts are exact.
     */
    @Transactional
    public List<ChannelPreview> forDraft(String title, String summary, List<String> topicNames, String imageUrl,
            String imageAlt) {
        String url = site.baseUrl() + "/r/" + "x".repeat(LinkCodes.LENGTH);
        List<ChannelPreview> previews = new ArrayList<>();
        for (Channel c : channels.list()) {
            Connector connector = c.status == ChannelStatus.DISABLED ? null : connectors.find(c.network).orElse(null);
            if (connector == null) {
                continue;
            }
            try {
                PostComposer.Composed composed = composer.previewDraft(title, summary, topicNames, imageUrl, imageAlt, c,
                        connector, url);
                previews.add(preview(c, connector, composed, url, false, null));
            } catch (EditorTemplates.Refused e) {
                previews.add(refused(c, connector, url, false, null, e));
            }
        }
        return previews;
    }

    private static ChannelPreview preview(Channel c, Connector connector, PostComposer.Composed composed, String url,
            boolean linkFinal, DistributionStatus status) {
        String text = composed.post().text();
        return new ChannelPreview(c.id, c.name, c.network, c.status, text, composed.rules().length(text),
                composed.rules().limit(), composed.rules().unit(), composed.rules().fits(text), composed.post().link(),
                linkFinal, composed.post().card(), connector.sendsCard(), status, null);
    }

    private static ChannelPreview refused(Channel c, Connector connector, String url, boolean linkFinal,
            DistributionStatus status, EditorTemplates.Refused e) {
        TextRules rules = connector.textRules(ChannelService.withoutCredentials(c));
        return new ChannelPreview(c.id, c.name, c.network, c.status, null, 0, rules.limit(), rules.unit(), false, url,
                linkFinal, null, connector.sendsCard(), status, "The post template " + e.getMessage());
    }

    @Transactional
    public List<ChannelPreview> forArticle(long articleId) {
        if (Article.findById(articleId) == null) {
            throw ProblemException.notFound("Article " + articleId);
        }
        List<ChannelPreview> previews = new ArrayList<>();
        for (Channel c : channels.list()) {
            if (c.status == ChannelStatus.DISABLED) {
                continue;
            }
            Connector connector = connectors.find(c.network).orElse(null);
            if (connector == null) {
                continue;
            }
            Distribution d = Distribution.<Distribution>find("channelId = ?1 and articleId = ?2", c.id, articleId)
                    .firstResult();
            TrackedLink link = d == null || d.linkId == null ? null : TrackedLink.findById(d.linkId);
            String url = link != null ? site.baseUrl() + "/r/" + link.code
                    : site.baseUrl() + "/r/" + "x".repeat(LinkCodes.LENGTH);
            PostComposer.Composed composed;
            try {
                composed = d != null && d.postText != null
                        ? composer.compose(d, c, connector, d.postText)
                        : composer.preview(articleId, c, connector, url);
            } catch (EditorTemplates.Refused e) {
                previews.add(refused(c, connector, url, link != null, d == null ? null : d.status, e));
                continue;
            }
            previews.add(preview(c, connector, composed, url, link != null, d == null ? null : d.status));
        }
        return previews;
    }
}
