package dev.gazette.digest.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.gazette.common.security.Roles;
import dev.gazette.digest.DigestAssembler;
import dev.gazette.digest.DigestIssue;
import dev.gazette.digest.IssueService;
import dev.gazette.digest.NewsletterService;

/**
 * One issue: progress, pause, resume, cancel.
 */
@Path("/api/v1/issues/{id}")
@Tag(name = "Newsletters")
@SecurityRequirement(name = "apiToken")
@RolesAllowed(Roles.EDITOR)
public class IssueResource {

    private final IssueService issues;
    private final NewsletterService newsletters;
    private final DigestAssembler assembler;

    IssueResource(IssueService issues, NewsletterService newsletters, DigestAssembler assembler) {
        this.issues = issues;
        this.newsletters = newsletters;
        this.assembler = assembler;
    }

    @GET
    @Operation(summary = "An issue and its progress", description = "Deliveries by state: PENDING, SENDING, SENT, RETRY, FAILED, SKIPPED, CANCELLED.")
    public IssueView get(@PathParam("id") long id) {
        IssueService.Progress progress = issues.progress(id);
        return IssueView.of(progress, webUrl(progress.issue()));
    }

    @POST
    @Path("/pause")
    @Operation(summary = "Pause an issue", description = "Messages already handed to the SMTP server still go out; the rest wait.")
    public IssueView pause(@PathParam("id") long id) {
        issues.pause(id);
        assembler.clear();
        return get(id);
    }

    @POST
    @Path("/resume")
    @Operation(summary = "Resume a paused issue", description = "Readers whose send time passed during the pause get it now.")
    public IssueView resume(@PathParam("id") long id) {
        issues.resume(id);
        assembler.clear();
        return get(id);
    }

    @POST
    @Path("/cancel")
    @Operation(summary = "Cancel an issue", description = "What has not been sent is not sent; 409 when it is already complete.")
    public IssueView cancel(@PathParam("id") long id) {
        issues.cancel(id);
        assembler.clear();
        return get(id);
    }

    private String webUrl(DigestIssue issue) {
        return assembler.webUrl(newsletters.get(issue.newsletterId).slug, issue);
    }
}
