package dev.gazette.social.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.gazette.common.security.Roles;
import dev.gazette.social.DistributionService;

/**
 * Announcing a digest issue's web copy on social channels.
 */
@Path("/api/v1/issues/{id}")
@Tag(name = "Social channels")
@SecurityRequirement(name = "apiToken")
@RolesAllowed(Roles.EDITOR)
public class IssueAnnouncementResource {

    private final DistributionService distributions;

    IssueAnnouncementResource(DistributionService distributions) {
        this.distributions = distributions;
    }

    @POST
    @Path("/announce")
    @Operation(summary = "Announce the issue's web copy", description = "On the chosen channels, or every channel that is not disabled. Channels with announceDigests do it by themselves once an issue is sent.")
    public List<DistributionView> announce(@PathParam("id") long id, ArticleSocialResource.ChannelChoice choice) {
        return distributions.announceIssue(id, choice == null ? null : choice.channelIds()).stream()
                .map(DistributionView::of).toList();
    }
}
