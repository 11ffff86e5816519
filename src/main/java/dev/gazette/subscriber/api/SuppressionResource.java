package dev.gazette.subscriber.api;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.gazette.common.EmailAddresses;
import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import dev.gazette.subscriber.Suppression;
import dev.gazette.subscriber.SuppressionReason;
import dev.gazette.subscriber.SuppressionService;
import dev.gazette.subscriber.api.SubscriberViews.SuppressionView;

/**
 * The suppression list: addresses never mailed.
 */
@Path("/api/v1/suppressions")
@Tag(name = "Subscribers")
@SecurityRequirement(name = "apiToken")
@RolesAllowed(Roles.EDITOR)
public class SuppressionResource {

    private final SuppressionService suppressions;

    SuppressionResource(SuppressionService suppressions) {
        this.suppressions = suppressions;
    }

    /** An address to suppress. */
    public record SuppressRequest(@Schema(examples = "spam-trap@example.org") @NotBlank @Size(max = 320) String email,
            @Schema(description = "BLOCKED, HARD_BOUNCE or COMPLAINT", examples = "BLOCKED") @NotNull SuppressionReason reason,
            @Size(max = 500) String note) {
    }

    @GET
    @Operation(summary = "List suppressed addresses", description = "Oldest first; pass the last id as after.")
    public List<SuppressionView> list(@QueryParam("after") Long after,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return suppressions.list(after, limit).stream().map(SuppressionView::of).toList();
    }

    @POST
    @Operation(summary = "Suppress an address")
    public Response suppress(@Valid @NotNull SuppressRequest request) {
        String email = EmailAddresses.normalise(request.email())
                .orElseThrow(() -> ProblemException.invalid("email", "is not a valid email address"));
        if (!request.reason().needsEditor()) {
            throw ProblemException.invalid("reason", "must be BLOCKED, HARD_BOUNCE or COMPLAINT");
        }
        Suppression s = suppressions.suppress(email, request.reason(), request.note());
        return Response.created(URI.create("/api/v1/suppressions/" + s.id)).entity(SuppressionView.of(s)).build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Lift a bounce, complaint or block", description = "409 for unsubscribes: only the reader's own"
            + " new double opt-in lifts those.")
    public Response lift(@PathParam("id") long id) {
        suppressions.lift(id);
        return Response.noContent().build();
    }
}
