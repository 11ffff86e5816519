package dev.gazette.link.api;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.gazette.common.Period;
import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import dev.gazette.link.LinkContextType;
import dev.gazette.link.LinkReports;
import dev.gazette.link.TrackedLinkService;
import dev.gazette.link.Utm;

/**
 * Tracked links for editors: create campaign links by hand, list every link (including those made for social posts
 * and digests), and see one with its counts.
 */
@Path("/api/v1/links")
@Tag(name = "Tracked links")
@SecurityRequirement(name = "apiToken")
@RolesAllowed(Roles.EDITOR)
public class LinkResource {

    private final TrackedLinkService links;
    private final LinkReports reports;

    LinkResource(TrackedLinkService links, LinkReports reports) {
        this.links = links;
        this.reports = reports;
    }

    /** A campaign link: where it leads, a label naming the campaign, and the UTM parameters to add. */
    public record CreateLinkRequest(
            @Schema(description = "Absolute http or https URL", examples = "https://gazette.example.org/articles/heatwave")
            @NotBlank @Size(max = 2000) String target,
            @Schema(description = "Names the campaign; with the target, identifies the link", examples = "Spring flyer")
            @NotBlank @Size(max = 200) String label,
            @Schema(examples = "flyer") @Size(max = 200) String utmSource,
            @Schema(examples = "print") @Size(max = 200) String utmMedium,
            @Schema(examples = "spring-2026") @Size(max = 200) String utmCampaign,
            @Schema(examples = "qr-code") @Size(max = 200) String utmContent,
            @Size(max = 200) String utmTerm) {
    }

    /** One page of links; pass {@code nextCursor} as {@code after} for the next. */
    public record LinkPage(List<LinkView> items, String nextCursor) {
    }

    @POST
    @Operation(summary = "Create a campaign link", description = "201 with the new link; 200 with the existing one when "
            + "this target already has a link with this label. 400 names each invalid field.")
    public Response create(@Valid @NotNull CreateLinkRequest request) {
        TrackedLinkService.Creation creation = links.createOrFind(request.target(), LinkContextType.CAMPAIGN, null,
                request.label(), new Utm(request.utmSource(), request.utmMedium(), request.utmCampaign(),
                        request.utmContent(), request.utmTerm()));
        LinkView view = reports.one(creation.link().id, Period.ALL).map(s -> LinkView.of(s, links)).orElseThrow();
        if (!creation.created()) {
            return Response.ok(view).build();
        }
        return Response.created(URI.create("/api/v1/links/" + view.id())).entity(view).build();
    }

    @GET
    @Operation(summary = "List tracked links", description = "Newest first, keyset-paginated, with all-time counts.")
    public LinkPage list(@QueryParam("contextType") LinkContextType contextType,
            @Parameter(description = "Id of the distribution or digest issue") @QueryParam("contextId") Long contextId,
            @Parameter(description = "Cursor from the previous page") @QueryParam("after") Long after,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit) {
        LinkReports.Page page = reports.perLink(new TrackedLinkService.Filter(contextType, contextId), Period.ALL, after,
                limit);
        return new LinkPage(page.items().stream().map(s -> LinkView.of(s, links)).toList(),
                page.nextCursor() == null ? null : page.nextCursor().toString());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a tracked link with its counts")
    public LinkView get(@PathParam("id") long id) {
        return reports.one(id, Period.ALL).map(s -> LinkView.of(s, links))
                .orElseThrow(() -> ProblemException.notFound("Link " + id));
    }
}
