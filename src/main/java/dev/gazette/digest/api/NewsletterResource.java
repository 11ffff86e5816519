package dev.gazette.digest.api;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import dev.gazette.digest.DigestAssembler;
import dev.gazette.digest.DigestPreview;
import dev.gazette.digest.IssueService;
import dev.gazette.digest.Newsletter;
import dev.gazette.digest.NewsletterInput;
import dev.gazette.digest.NewsletterService;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Newsletters, their issues, previews and test sends.
 */
@Path("/api/v1/newsletters")
@Tag(name = "Newsletters")
@SecurityRequirement(name = "apiToken")
@RolesAllowed(Roles.EDITOR)
public class NewsletterResource {

    private final NewsletterService newsletters;
    private final IssueService issues;
    private final DigestPreview preview;
    private final DigestAssembler assembler;
    private final SecurityIdentity identity;

    NewsletterResource(NewsletterService newsletters, IssueService issues, DigestPreview preview, DigestAssembler assembler,
            SecurityIdentity identity) {
        this.newsletters = newsletters;
        this.issues = issues;
        this.preview = preview;
        this.assembler = assembler;
        this.identity = identity;
    }

    /**
     * An issue sent outside the schedule. {@code expectedRecipients} is the number of readers the sender expects it to
     * go to (read it from {@code GET /api/v1/newsletters/{id}/audience}); when it no longer matches, nothing is sent.
     */
    public record SendRequest(@Schema(description = "When to send; now when omitted") Instant sendAt,
            @Schema(description = "Subject; the newsletter's name when omitted") @Size(max = 300) String subject,
            @Schema(description = "How many readers the issue is expected to go to, as GET .../audience counts them; "
                    + "409 when the count is another", required = true, examples = "982") @NotNull @Min(0) Long expectedRecipients) {
    }

    /** Who an issue sent now would go to. */
    public record AudienceView(long newsletterId, int nextIssueNumber, String subject, long recipients) {
        static AudienceView of(IssueService.Audience a) {
            return new AudienceView(a.newsletterId(), a.nextNumber(), a.subject(), a.recipients());
        }
    }

    /** A test message of the digest to one address. */
    public record TestRequest(@Schema(examples = "editor@example.org") @NotBlank @Email @Size(max = 320) String to,
            @Schema(description = "Whose digest to send; a generic one of the newsletter's latest articles when omitted") Long subscriberId,
            @Schema(description = "Whose digest to send, by address (instead of subscriberId)", examples = "ana@example.org") @Size(max = 320) String reader) {

        public TestRequest(String to, Long subscriberId) {
            this(to, subscriberId, null);
        }
    }

    @GET
    @Operation(summary = "List newsletters")
    public List<NewsletterView> list() {
        return newsletters.list().stream().map(NewsletterView::of).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a newsletter")
    public NewsletterView get(@PathParam("id") long id) {
        return NewsletterView.of(newsletters.get(id));
    }

    @POST
    @Operation(summary = "Create a newsletter", description = "Required: name, cadence, sendTime, fromAddress (and weeklyDay for a weekly one). 409 when the slug is taken.")
    public Response create(@Valid @NotNull NewsletterInput input) {
        Newsletter n = newsletters.create(input);
        return Response.created(URI.create("/api/v1/newsletters/" + n.id)).entity(NewsletterView.of(n)).build();
    }

    @PATCH
    @Path("/{id}")
    @Operation(summary = "Update a newsletter", description = "Omitted fields keep their value.")
    public NewsletterView update(@PathParam("id") long id, @Valid @NotNull NewsletterInput input) {
        NewsletterView view = NewsletterView.of(newsletters.update(id, input));
        assembler.clear();
        return view;
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a newsletter", description = "409 while an issue is in progress; its history goes with it.")
    public Response delete(@PathParam("id") long id) {
        newsletters.delete(id);
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/issues")
    @Operation(summary = "List a newsletter's issues, newest first")
    public List<IssueView> issues(@PathParam("id") long id, @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        Newsletter n = newsletters.get(id);
        return issues.list(id, limit).stream().map(i -> IssueView.of(i, assembler.webUrl(n.slug, i))).toList();
    }

    @GET
    @Path("/{id}/audience")
    @Operation(summary = "Who an issue sent now (or at sendAt) would go to", description = "The recipient count to send as "
            + "expectedRecipients, the subject (the newsletter's name when none is given) and the number the issue would get.")
    public AudienceView audience(@PathParam("id") long id,
            @QueryParam("sendAt") @Schema(description = "ISO-8601 instant; now when omitted") String sendAt,
            @QueryParam("subject") @Size(max = 300) String subject) {
        Instant at = null;
        if (sendAt != null && !sendAt.isBlank()) {
            try {
                at = Instant.parse(sendAt.strip());
            } catch (java.time.format.DateTimeParseException e) {
                throw ProblemException.invalid("sendAt", "must be an ISO-8601 instant such as 2026-03-02T09:00:00Z");
            }
        }
        return AudienceView.of(issues.audience(id, at, subject));
    }

    @POST
    @Path("/{id}/issues")
    @Operation(summary = "Send an issue now or at a given time", description = "Every active reader of the newsletter gets it; "
            + "the answer counts the deliveries created. expectedRecipients is required (400 when missing); 409 naming it, with "
            + "the current count, when the issue would go to another number of readers, and then nothing is sent.")
    public Response send(@PathParam("id") long id, @Valid @NotNull SendRequest request) {
        Newsletter n = newsletters.get(id);
        IssueService.Progress progress = issues.sendManual(id, request.sendAt(), request.subject(), identity.getPrincipal().getName(),
                request.expectedRecipients(), null);
        return Response.created(URI.create("/api/v1/issues/" + progress.issue().id))
                .entity(IssueView.of(progress, assembler.webUrl(n.slug, progress.issue()))).build();
    }

    @GET
    @Path("/{id}/preview")
    @Operation(summary = "Preview a reader's next digest", description = "format=html (default) or text; the reader by"
            + " address (reader) or number (subscriberId); without either, a generic digest of the latest articles.")
    public Response preview(@PathParam("id") long id, @QueryParam("subscriberId") Long subscriberId,
            @QueryParam("reader") @Size(max = 320) String reader, @QueryParam("format") @DefaultValue("html") String format) {
        boolean html = switch (format) {
            case "html" -> true;
            case "text" -> false;
            default -> throw ProblemException.invalid("format", "must be html or text");
        };
        DigestPreview.Rendered rendered = preview.render(id, reader(subscriberId, reader));
        return Response.ok(html ? rendered.html() : rendered.text(), html ? "text/html;charset=UTF-8" : "text/plain;charset=UTF-8")
                .header("X-Digest-Subject", rendered.subject()).build();
    }

    @POST
    @Path("/{id}/test")
    @Operation(summary = "Send a test of the digest to one address", description = "The subject starts with [Test]; nothing is recorded in the ledger.")
    public Response test(@PathParam("id") long id, @Valid @NotNull TestRequest request) {
        preview.sendTest(id, reader(request.subscriberId(), request.reader()), request.to());
        return Response.accepted().build();
    }

    /** The reader a preview or test is for: by number, or by address; null for a generic digest. */
    private Long reader(Long subscriberId, String address) {
        if (address == null || address.isBlank()) {
            return subscriberId;
        }
        if (subscriberId != null) {
            throw ProblemException.invalid("reader", "give the reader's address or subscriberId, not both");
        }
        return preview.readerByAddress(address.strip()).orElseThrow(() -> ProblemException.invalid("reader",
                "no reader has this address; leave it out for a generic digest"));
    }
}
