package dev.gazette.digest.api;

import java.net.URI;
import java.time.LocalDateTime;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import dev.gazette.digest.DigestAssembler;
import dev.gazette.digest.IssueService;
import dev.gazette.digest.NewsletterService;
import dev.gazette.digest.SpecialEditions;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Special editions of a newsletter: chosen articles and a note, to all its readers or the readers of some topics, now
 * or at a local time in each reader's zone. Count first ({@code /audience}), then send with the count confirmed.
 */
@Path("/api/v1/newsletters/{id}/special-editions")
@Tag(name = "Newsletters")
@SecurityRequirement(name = "apiToken")
@RolesAllowed(Roles.EDITOR)
public class SpecialEditionResource {

    /** A special edition as asked for. */
    public record EditionRequest(@Schema(examples = "Breaking: the storm reaches the coast") String subject, String note,
            List<Long> articleIds, @Schema(description = "topic slugs; empty or absent: every reader of the newsletter") List<String> topics,
            @Schema(description = "local date and time in each reader's zone, e.g. 2026-03-02T18:00; absent: now") LocalDateTime localTime,
            @Schema(description = "the count from /audience; required to send") Long expectedRecipients,
            @Schema(description = "the number from /audience: a repeated request does not send twice") Integer expectedNumber) {

        SpecialEditions.Edition edition() {
            return new SpecialEditions.Edition(subject, note, articleIds, topics, localTime);
        }
    }

    private final SpecialEditions editions;
    private final NewsletterService newsletters;
    private final DigestAssembler assembler;
    private final SecurityIdentity identity;

    SpecialEditionResource(SpecialEditions editions, NewsletterService newsletters, DigestAssembler assembler,
            SecurityIdentity identity) {
        this.editions = editions;
        this.newsletters = newsletters;
        this.assembler = assembler;
        this.identity = identity;
    }

    @POST
    @Path("/audience")
    @Operation(summary = "How many readers a special edition would reach, and the number it would get")
    public SpecialEditions.Audience audience(@PathParam("id") long id, @NotNull EditionRequest request) {
        return editions.audience(id, request.edition());
    }

    @POST
    @Operation(summary = "Send a special edition", description = "expectedRecipients is required; 409 naming it when the"
            + " audience changed, or naming expectedNumber when that edition was sent already; then nothing is sent.")
    public Response send(@PathParam("id") long id, @NotNull EditionRequest request) {
        if (request.expectedRecipients() == null) {
            throw ProblemException.invalid("expectedRecipients", "must be the count from /audience, so that nobody sends to"
                    + " more readers than they meant to");
        }
        IssueService.Progress progress = editions.send(id, request.edition(), identity.getPrincipal().getName(),
                request.expectedRecipients(), request.expectedNumber());
        return Response.created(URI.create("/api/v1/issues/" + progress.issue().id))
                .entity(IssueView.of(progress, assembler.webUrl(newsletters.get(id).slug, progress.issue()))).build();
    }
}
