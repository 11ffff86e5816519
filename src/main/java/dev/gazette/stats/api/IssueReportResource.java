package dev.gazette.stats.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.gazette.common.security.Roles;
import dev.gazette.stats.IssueReport;

/**
 * What one digest issue did: deliveries, bounces, complaints, unsubscribes, clickers and clicks per article.
 */
@Path("/api/v1/issues/{id}/report")
@Tag(name = "Stats")
@SecurityRequirement(name = "apiToken")
@RolesAllowed(Roles.EDITOR)
@Produces(MediaType.APPLICATION_JSON)
public class IssueReportResource {

    private final IssueReport reports;

    IssueReportResource(IssueReport reports) {
        this.reports = reports;
    }

    @GET
    @Operation(summary = "An issue's analytics", description = "Sent, skipped, failed, bounced, complaints, the readers "
            + "who unsubscribed through the issue, unique clickers (distinct visitors per UTC day over all the issue's "
            + "links, bots excluded) and clicks per article.")
    public IssueReport.Report get(@PathParam("id") long id) {
        return reports.of(id);
    }
}
