package dev.gazette.stats.api;

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
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.gazette.common.CsvReports;
import dev.gazette.common.CsvReports.Column;
import dev.gazette.common.ReportParams;
import dev.gazette.common.security.Roles;
import dev.gazette.stats.Funnel;

/**
 * The reader funnel from social post to confirmed subscriber, per channel, per article and per post.
 */
@Path("/api/v1/stats")
@Tag(name = "Stats")
@SecurityRequirement(name = "apiToken")
@RolesAllowed(Roles.EDITOR)
@Produces({ MediaType.APPLICATION_JSON, CsvReports.MEDIA_TYPE })
public class FunnelResource {

    private static final List<Column<Funnel.Counts>> COUNTS = List.of(new Column<>("posts", Funnel.Counts::posts),
            new Column<>("previews", Funnel.Counts::previews), new Column<>("clicks", Funnel.Counts::clicks),
            new Column<>("unique_clicks", Funnel.Counts::uniqueClicks), new Column<>("subscribes", Funnel.Counts::subscribes),
            new Column<>("confirmations", Funnel.Counts::confirmations));

    private final Funnel funnel;

    FunnelResource(Funnel funnel) {
        this.funnel = funnel;
    }

    @GET
    @Path("/channels")
    @Operation(summary = "The funnel per channel", description = "Posts, previews, clicks, unique clicks, subscribes and "
            + "confirmations of each channel over from..to (UTC days, both included; all time when omitted).")
    public Response perChannel(@BeanParam ReportParams query) {
        List<Funnel.ChannelFunnel> rows = funnel.perChannel(query.period());
        if (query.csv()) {
            return CsvReports.response("channels.csv", columns(List.of(new Column<>("channel_id", Funnel.ChannelFunnel::channelId),
                    new Column<>("channel", Funnel.ChannelFunnel::channel), new Column<>("network", Funnel.ChannelFunnel::network),
                    new Column<>("status", Funnel.ChannelFunnel::status)), Funnel.ChannelFunnel::counts), rows);
        }
        return Response.ok(rows).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Path("/articles/top")
    @Operation(summary = "Top articles", description = "The articles whose links (posts, digests, campaigns) had the most "
            + "clicks over from..to, then unique clicks, then subscribes.")
    public Response topArticles(@BeanParam ReportParams query,
            @QueryParam("limit") @DefaultValue("10") @Min(1) @Max(Funnel.MAX_TOP) int limit) {
        List<Funnel.ArticleFunnel> rows = funnel.topArticles(query.period(), limit);
        if (query.csv()) {
            return CsvReports.response("top-articles.csv", columns(List.of(new Column<>("article_id", Funnel.ArticleFunnel::articleId),
                    new Column<>("slug", Funnel.ArticleFunnel::slug), new Column<>("title", Funnel.ArticleFunnel::title)),
                    Funnel.ArticleFunnel::counts), rows);
        }
        return Response.ok(rows).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Path("/articles/{id}/posts")
    @Operation(summary = "The funnel of each post of an article", description = "Which channel brought readers: each post "
            + "with its link's counts over from..to.")
    public Response perPost(@PathParam("id") long id,
            @BeanParam ReportParams query) {
        List<Funnel.PostFunnel> rows = funnel.perPost(id, query.period());
        if (query.csv()) {
            return CsvReports.response("article-" + id + "-posts.csv", columns(List.of(
                    new Column<>("distribution_id", Funnel.PostFunnel::distributionId),
                    new Column<>("channel", Funnel.PostFunnel::channel), new Column<>("network", Funnel.PostFunnel::network),
                    new Column<>("status", Funnel.PostFunnel::status), new Column<>("url", Funnel.PostFunnel::externalUrl),
                    new Column<>("link_code", Funnel.PostFunnel::linkCode)), Funnel.PostFunnel::counts), rows);
        }
        return Response.ok(rows).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static <T> List<Column<T>> columns(List<Column<T>> leading, java.util.function.Function<T, Funnel.Counts> counts) {
        List<Column<T>> all = new java.util.ArrayList<>(leading);
        COUNTS.forEach(c -> all.add(new Column<>(c.header(), row -> c.value().apply(counts.apply(row)))));
        return all;
    }
}
