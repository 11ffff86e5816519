package dev.gazette.article.feed;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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

/**
 * Feeds to import articles from.
 */
@Path("/api/v1/feeds")
@Tag(name = "Feed import")
@SecurityRequirement(name = "apiToken")
@RolesAllowed(Roles.EDITOR)
public class FeedResource {

    private final FeedSourceService sources;
    private final FeedImporter importer;

    FeedResource(FeedSourceService sources, FeedImporter importer) {
        this.sources = sources;
        this.importer = importer;
    }

    /** A feed to register. */
    public record CreateFeedRequest(
            @Schema(examples = "https://blog.example.org/feed.xml") @NotBlank @Size(max = 2000) String url,
            @Schema(description = "Topic slugs given to imported articles", examples = "[\"climate\"]") @Size(max = 50) List<String> topics,
            @Schema(description = "Minutes between polls", examples = "30") @Min(5) @Max(10080) Integer pollIntervalMinutes,
            @Schema(description = "PUBLISHED (default) or DRAFT") ImportMode importAs) {
    }

    /** Changes to a feed; omitted fields keep their value. */
    public record UpdateFeedRequest(
            @Schema(description = "Topic slugs given to articles imported from now on") @Size(max = 50) List<String> topics,
            @Schema(description = "Minutes between polls", examples = "30") @Min(5) @Max(10080) Integer pollIntervalMinutes,
            @Schema(description = "PUBLISHED or DRAFT") ImportMode importAs) {
    }

    /** A feed source with its polling state. */
    public record FeedView(long id, String url, String title, List<String> topics, int pollIntervalMinutes,
            ImportMode importAs, boolean active, boolean baselineDone, Instant nextPollAt, Instant lastPolledAt,
            Instant lastSuccessAt, String lastError, Instant lastErrorAt, int consecutiveErrors, int itemsImported) {
        static FeedView of(FeedSource s) {
            return new FeedView(s.id, s.url, s.title, s.topics.stream().map(t -> t.slug).toList(), s.pollIntervalSecs / 60,
                    s.importAs, s.active, s.baselineDone, s.nextPollAt, s.lastPolledAt, s.lastSuccessAt, s.lastError,
                    s.lastErrorAt, s.consecutiveErrors, s.itemsImported);
        }
    }

    @POST
    @Operation(summary = "Register a feed", description = "The first poll imports the backlog without announcing it as new.")
    public Response create(@Valid @NotNull CreateFeedRequest request) {
        FeedSource source = sources.create(request.url(), request.topics(),
                request.pollIntervalMinutes() == null ? null : Duration.ofMinutes(request.pollIntervalMinutes()),
                request.importAs());
        return Response.created(URI.create("/api/v1/feeds/" + source.id)).entity(FeedView.of(source)).build();
    }

    @GET
    @Operation(summary = "List feeds")
    public List<FeedView> list() {
        return sources.list().stream().map(FeedView::of).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a feed with its polling state and last error")
    public FeedView get(@PathParam("id") long id) {
        return sources.find(id).map(FeedView::of).orElseThrow(() -> ProblemException.notFound("Feed source " + id));
    }

    @PATCH
    @Path("/{id}")
    @Operation(summary = "Change a feed's topics, poll interval or import mode")
    public FeedView update(@PathParam("id") long id, @Valid @NotNull UpdateFeedRequest request) {
        return FeedView.of(sources.update(id, request.topics(),
                request.pollIntervalMinutes() == null ? null : Duration.ofMinutes(request.pollIntervalMinutes()),
                request.importAs()));
    }

    @POST
    @Path("/{id}/poll")
    @Operation(summary = "Poll a feed now")
    public FeedImporter.PollResult poll(@PathParam("id") long id) {
        sources.find(id).orElseThrow(() -> ProblemException.notFound("Feed source " + id));
        return importer.poll(id);
    }

    @POST
    @Path("/{id}/pause")
    @Operation(summary = "Stop polling a feed")
    public FeedView pause(@PathParam("id") long id) {
        return FeedView.of(sources.setActive(id, false));
    }

    @POST
    @Path("/{id}/resume")
    @Operation(summary = "Resume polling a feed")
    public FeedView resume(@PathParam("id") long id) {
        return FeedView.of(sources.setActive(id, true));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Remove a feed", description = "Articles imported from it stay.")
    public Response delete(@PathParam("id") long id) {
        sources.delete(id);
        return Response.noContent().build();
    }
}
