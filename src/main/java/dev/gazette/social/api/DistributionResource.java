package dev.gazette.social.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.gazette.common.security.Roles;
import dev.gazette.social.DistributionService;
import dev.gazette.social.DistributionStatus;

/**
 * The distribution ledger: every post Gazette made or will make, with the network's answer.
 */
@Path("/api/v1/distributions")
@Tag(name = "Social channels")
@SecurityRequirement(name = "apiToken")
@RolesAllowed(Roles.EDITOR)
public class DistributionResource {

    private final DistributionService distributions;

    DistributionResource(DistributionService distributions) {
        this.distributions = distributions;
    }

    /** Where an editor found a post the network did not confirm. */
    public record Confirmation(@Size(max = 2000) String externalUrl) {
    }

    @GET
    @Operation(summary = "List posts, newest first", description = "Filter by articleId, issueId, channelId, status; page with before=<last id>.")
    public List<DistributionView> list(@QueryParam("articleId") Long articleId, @QueryParam("issueId") Long issueId,
            @QueryParam("channelId") Long channelId, @QueryParam("status") DistributionStatus status,
            @QueryParam("before") Long before, @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return distributions.list(new DistributionService.Filter(articleId, issueId, channelId, status), before, limit)
                .stream().map(DistributionView::of).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a post")
    public DistributionView get(@PathParam("id") long id) {
        return DistributionView.of(distributions.get(id));
    }

    @POST
    @Path("/{id}/retry")
    @Operation(summary = "Post again now", description = "For failed, unconfirmed, cancelled or waiting posts. A published one needs republish=true (409 otherwise).")
    public DistributionView retry(@PathParam("id") long id, @QueryParam("republish") @DefaultValue("false") boolean republish) {
        return DistributionView.of(distributions.retry(id, republish));
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel a post that has not been published")
    public DistributionView cancel(@PathParam("id") long id) {
        return DistributionView.of(distributions.cancel(id));
    }

    @POST
    @Path("/{id}/confirm")
    @Operation(summary = "Mark an unconfirmed post as published", description = "After checking the account: the post is there.")
    public DistributionView confirm(@PathParam("id") long id, Confirmation body) {
        return DistributionView.of(distributions.confirm(id, body == null ? null : body.externalUrl()));
    }
}
