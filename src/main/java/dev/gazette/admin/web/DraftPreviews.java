package dev.gazette.admin.web;

import java.util.List;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestForm;

import dev.gazette.article.ArticleRenderer;
import dev.gazette.article.BodyFormat;
import dev.gazette.article.TopicService;
import dev.gazette.common.Text;
import dev.gazette.common.security.Roles;
import dev.gazette.social.SocialPreview;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Previews of the article being written, from its fields as typed (htmx): the body as the page will show it, and
 * what each channel would post before the first save, with exact lengths and the card. Nothing is stored.
 */
@Path("/admin")
@Produces(MediaType.TEXT_HTML)
public class DraftPreviews {

    /** The longest title and summary previewed; a longer one is cut, as the article's own checks would refuse it. */
    private static final int MAX_FIELD = 2000;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance previews(List<SocialPreview.ChannelPreview> previews, boolean draft);

        static native TemplateInstance body(String html, String error);
    }

    private final SocialPreview socialPreview;
    private final TopicService topics;
    private final ArticleRenderer renderer;

    DraftPreviews(SocialPreview socialPreview, TopicService topics, ArticleRenderer renderer) {
        this.socialPreview = socialPreview;
        this.topics = topics;
        this.renderer = renderer;
    }

    /** The Markdown body rendered as the public page will show it (sanitised), for the live preview. */
    @POST
    @Path("/articles/preview")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance body(@RestForm String body) {
        try {
            return Templates.body(renderer.toSafeHtml(BodyFormat.MARKDOWN, body == null ? "" : body), null);
        } catch (ArticleRenderer.TooComplex e) {
            return Templates.body("", "The body " + e.getMessage() + ".");
        }
    }

    /** What each channel would post for a draft not saved yet. */
    @POST
    @Path("/articles/social-preview")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance social(@RestForm String title, @RestForm String summary, @RestForm List<String> topic,
            @RestForm String imageUrl, @RestForm String imageAlt) {
        Set<String> chosen = topic == null ? Set.of() : Set.copyOf(topic);
        List<String> names = topics.list().stream().filter(t -> chosen.contains(t.slug)).map(t -> t.name).toList();
        String image = imageUrl == null || !imageUrl.strip().matches("(?i)https?://\\S+") ? null : imageUrl.strip();
        return Templates.previews(socialPreview.forDraft(field(title, "Untitled"), field(summary, ""), names, image,
                image == null ? null : field(imageAlt, "")), true);
    }

    private static String field(String value, String empty) {
        return value == null || value.isBlank() ? empty : Text.truncate(value.strip(), MAX_FIELD);
    }
}
