package dev.gazette.admin.web;

import java.util.List;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestForm;

import dev.gazette.article.TopicService;
import dev.gazette.common.Text;
import dev.gazette.common.security.Roles;
import dev.gazette.social.SocialPreview;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * What each channel would post for the article being written, before its first save: the editor's form sends its
 * fields as typed (htmx, on change) and gets the previews back, with exact lengths and the card. Nothing is stored.
 */
@Path("/admin/articles/social-preview")
@Produces(MediaType.TEXT_HTML)
public class DraftSocialPreviews {

    /** The longest title and summary previewed; a longer one is cut, as the article's own checks would refuse it. */
    private static final int MAX_FIELD = 2000;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance previews(List<SocialPreview.ChannelPreview> previews, boolean draft);
    }

    private final SocialPreview socialPreview;
    private final TopicService topics;

    DraftSocialPreviews(SocialPreview socialPreview, TopicService topics) {
        this.socialPreview = socialPreview;
        this.topics = topics;
    }

    @POST
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance preview(@RestForm String title, @RestForm String summary, @RestForm List<String> topic,
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
