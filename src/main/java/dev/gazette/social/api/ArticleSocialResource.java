package dev.gazette.social.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.gazette.common.security.Roles;
import dev.gazette.social.DistributionService;
import dev.gazette.social.SocialPreview;

/**
 * An article's social posts: the preview per channel and the posts made.
 */
@Path("/api/v1/articles/{id}")
@Tag(name = "Social channels")
@SecurityRequirement(name = "apiToken")
@RolesAllowed(Roles.EDITOR)
public class ArticleSocialResource {

    private final SocialPreview preview;
    private final DistributionService distributions;

    ArticleSocialResource(SocialPreview preview, DistributionService distributions) {
        this.preview = preview;
        this.distributions = distributions;
    }

    /** Channels to post on; every channel that is not disabled when empty. */
    public record ChannelChoice(List<Long> channelIds) {
    }

    @GET
    @Path("/social-preview")
    @Operation(summary = "What each channel will post", description = "Per channel: the exact text, its length in the network's own counting, the limit, and the link card.")
    public List<SocialPreview.ChannelPreview> socialPreview(@PathParam("id") long id) {
        return preview.forArticle(id);
    }

    @GET
    @Path("/distributions")
    @Operation(summary = "The article's posts")
    public List<DistributionView> distributions(@PathParam("id") long id) {
        return distributions.list(new DistributionService.Filter(id, null, null, null), null, 500).stream()
                .map(DistributionView::of).toList();
    }

    @POST
    @Path("/distributions")
    @Operation(summary = "Post a published article on chosen channels", description = "Whatever the channels' auto-post rules; a channel that already has the post keeps it (retry it to post again).")
    public List<DistributionView> post(@PathParam("id") long id, ChannelChoice choice) {
        return distributions.postArticle(id, choice == null ? null : choice.channelIds()).stream()
                .map(DistributionView::of).toList();
    }
}
