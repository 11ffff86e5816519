package dev.gazette.stats.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
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
import dev.gazette.stats.FediverseReport;

/** The fediverse channel per day: new followers, deliveries by outcome, replies; JSON or CSV. */
@Path("/api/v1/stats/fediverse")
@Tag(name = "Stats")
@SecurityRequirement(name = "apiToken")
@RolesAllowed(Roles.EDITOR)
@Produces({ MediaType.APPLICATION_JSON, CsvReports.MEDIA_TYPE })
public class FediverseReportResource {

    /** The CSV's columns, one row per day. */
    public static final List<Column<FediverseReport.Day>> COLUMNS = List.of(new Column<>("day", FediverseReport.Day::day),
            new Column<>("new_followers", FediverseReport.Day::newFollowers),
            new Column<>("delivered", FediverseReport.Day::delivered), new Column<>("failed", FediverseReport.Day::failed),
            new Column<>("replies", FediverseReport.Day::replies));

    private final FediverseReport report;

    FediverseReportResource(FediverseReport report) {
        this.report = report;
    }

    @GET
    @Operation(summary = "The fediverse channel per day", description = "Followers now; per UTC day of from..to (both "
            + "included; the last 30 days by default, at most 366): followers who followed that day and still do, "
            + "activities delivered to their servers, deliveries that failed for good and replies received (moderated or "
            + "not); the range's totals, with the articles delivered; and the likes and boosts of all articles since the "
            + "start.")
    public Response get(@BeanParam ReportParams query) {
        FediverseReport.Report r = report.of(report.range(query.period()));
        if (query.csv()) {
            return CsvReports.response("fediverse-" + r.from() + "-to-" + r.to() + ".csv", COLUMNS, r.days());
        }
        return Response.ok(r).type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
