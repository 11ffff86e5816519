package dev.gazette.link.api;

import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.gazette.common.CsvReports;
import dev.gazette.common.Period;
import dev.gazette.common.ReportParams;
import dev.gazette.common.security.Roles;
import dev.gazette.link.LinkContextType;
import dev.gazette.link.LinkCounts;
import dev.gazette.link.LinkReports;
import dev.gazette.link.LinkStats;
import dev.gazette.link.TrackedLinkService;

/**
 * Reports on tracked links: previews, clicks and unique clicks per link, per article, and the top links of a period.
 * Each answers JSON, or CSV with {@code Accept: text/csv} or {@code ?format=csv}.
 */
@Path("/api/v1/stats")
@Tag(name = "Stats")
@SecurityRequirement(name = "apiToken")
@RolesAllowed(Roles.EDITOR)
@Produces({ MediaType.APPLICATION_JSON, CsvReports.MEDIA_TYPE })
public class LinkStatsResource {

    private static final int CSV_PAGE = 500;

    private final LinkReports reports;
    private final TrackedLinkService links;

    LinkStatsResource(LinkReports reports, TrackedLinkService links) {
        this.reports = reports;
        this.links = links;
    }

    /** One page of per-link counts; pass {@code nextCursor} as {@code after} for the next. */
    public record LinkStatsPage(List<LinkStatsRow> items, String nextCursor) {
    }

    /** The links to one article's page and their total. */
    public record ArticleLinksReport(long articleId, String slug, String url, LinkCounts total, List<LinkStatsRow> links) {
    }

    @GET
    @Path("/links")
    @Operation(summary = "Counts per link", description = "Newest link first. JSON is keyset-paginated; CSV holds every "
            + "matching link. Dates are UTC days, both included.")
    public Response perLink(@QueryParam("contextType") LinkContextType contextType,
            @Parameter(description = "Id of the distribution or digest issue") @QueryParam("contextId") Long contextId,
            @BeanParam ReportParams query,
            @Parameter(description = "Cursor from the previous page") @QueryParam("after") Long after,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        Period period = query.period();
        TrackedLinkService.Filter filter = new TrackedLinkService.Filter(contextType, contextId);
        if (query.csv()) {
            List<LinkStatsRow> rows = new ArrayList<>();
            Long cursor = after;
            do {
                LinkReports.Page page = reports.perLink(filter, period, cursor, CSV_PAGE);
                page.items().forEach(s -> rows.add(LinkStatsRow.of(s, links)));
                cursor = page.nextCursor();
            } while (cursor != null);
            return CsvReports.response("links.csv", LinkStatsRow.COLUMNS, rows);
        }
        LinkReports.Page page = reports.perLink(filter, period, after, limit);
        return Response.ok(new LinkStatsPage(rows(page.items()), page.nextCursor() == null ? null
                : page.nextCursor().toString())).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Path("/articles/{id}/links")
    @Operation(summary = "Counts of the links to an article", description = "Every tracked link whose target is the "
            + "article's page (with any query or fragment): social posts, digests, campaigns.")
    public Response perArticle(@PathParam("id") long id,
            @BeanParam ReportParams query) {
        LinkReports.ArticleReport report = reports.perArticle(id, query.period());
        List<LinkStatsRow> rows = rows(report.links());
        if (query.csv()) {
            return CsvReports.response("article-" + id + "-links.csv", LinkStatsRow.COLUMNS, rows);
        }
        return Response.ok(new ArticleLinksReport(report.articleId(), report.slug(), report.url(), report.total(), rows))
                .type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Path("/links/top")
    @Operation(summary = "Top links", description = "The links with the most clicks over the period (then unique "
            + "clicks, then previews).")
    public Response top(@BeanParam ReportParams query,
            @QueryParam("contextType") LinkContextType contextType,
            @QueryParam("limit") @DefaultValue("10") @Min(1) @Max(LinkReports.MAX_TOP) int limit) {
        List<LinkStatsRow> rows = rows(reports.top(query.period(), contextType, limit));
        if (query.csv()) {
            return CsvReports.response("top-links.csv", LinkStatsRow.COLUMNS, rows);
        }
        return Response.ok(rows).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    private List<LinkStatsRow> rows(List<LinkStats> stats) {
        return stats.stream().map(s -> LinkStatsRow.of(s, links)).toList();
    }

}
