package dev.gazette.stats.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.gazette.common.security.Roles;
import dev.gazette.stats.LifecycleReport;

/** What lifecycle mail did: the welcome, each onboarding step, re-engagement. */
@Path("/api/v1/stats/lifecycle")
@Tag(name = "Stats")
@SecurityRequirement(name = "apiToken")
@RolesAllowed(Roles.EDITOR)
@Produces(MediaType.APPLICATION_JSON)
public class LifecycleReportResource {

    private final LifecycleReport report;

    LifecycleReportResource(LifecycleReport report) {
        this.report = report;
    }

    @GET
    @Operation(summary = "Lifecycle mail outcomes", description = "The welcome's and re-engagement's messages by outcome "
            + "(planned, sent, waiting, skipped, failed) and each onboarding step's readers: reached, sent, waiting, skipped, "
            + "failed, and clickers (distinct per day) of its tracked article links. Site-wide, since the start.")
    public LifecycleReport.Report get() {
        return report.report();
    }
}
