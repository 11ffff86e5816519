package dev.gazette.stats.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.gazette.common.CsvReports;
import dev.gazette.common.CsvReports.Column;
import dev.gazette.common.ReportParams;
import dev.gazette.common.security.Roles;
import dev.gazette.stats.ReaderGrowth;

/**
 * A newsletter's readers per day: new, confirmed, unsubscribed, suppressed; JSON or CSV.
 */
@Path("/api/v1/newsletters/{id}/readers")
@Tag(name = "Stats")
@SecurityRequirement(name = "apiToken")
@RolesAllowed(Roles.EDITOR)
@Produces({ MediaType.APPLICATION_JSON, CsvReports.MEDIA_TYPE })
public class ReaderGrowthResource {

    /** The CSV's columns, one row per day; the editor's download uses the same. */
    public static final List<Column<ReaderGrowth.Day>> COLUMNS = List.of(new Column<>("day", ReaderGrowth.Day::day),
            new Column<>("new", ReaderGrowth.Day::created), new Column<>("confirmed", ReaderGrowth.Day::confirmed),
            new Column<>("unsubscribed", ReaderGrowth.Day::unsubscribed),
            new Column<>("suppressed", ReaderGrowth.Day::suppressed));

    private final ReaderGrowth growth;

    ReaderGrowthResource(ReaderGrowth growth) {
        this.growth = growth;
    }

    @GET
    @Operation(summary = "A newsletter's readers per day", description = "New readers, confirmations, unsubscribes and "
            + "suppressions per day of from..to, days in the site's time zone (gazette.site.time-zone), both included; "
            + "the last 30 days by default, at most 366. A newsletter's readers are those whose topics meet its own.")
    public Response get(@PathParam("id") long id, @BeanParam ReportParams query) {
        ReaderGrowth.Growth g = growth.of(id, growth.range(query.period()));
        if (query.csv()) {
            return CsvReports.response("readers-" + id + "-" + g.from() + "-to-" + g.to() + ".csv", COLUMNS, g.days());
        }
        return Response.ok(g).type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
