package dev.gazette.admin.web;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import dev.gazette.stats.IssueReport;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The analytics of one digest issue in the editor, reached from the issue's row on its newsletter's page: the same
 * numbers as {@code GET /api/v1/issues/{id}/report}.
 */
@Path("/admin/newsletters/{id: \\d+}/issues/{issueId: \\d+}/report")
@Produces(MediaType.TEXT_HTML)
public class IssueReportPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance report(AdminChrome chrome, IssueReport.Report report);
    }

    private final AdminContext context;
    private final IssueReport reports;

    IssueReportPages(AdminContext context, IssueReport reports) {
        this.context = context;
        this.reports = reports;
    }

    @GET
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance report(@PathParam("id") long id, @PathParam("issueId") long issueId) {
        IssueReport.Report report = reports.of(issueId);
        if (report.newsletterId() != id) {
            throw ProblemException.notFound("Issue " + issueId + " of newsletter " + id);
        }
        return Templates.report(context.chrome("newsletters"), report);
    }
}
