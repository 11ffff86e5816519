package dev.gazette.article.api;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
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

import dev.gazette.article.TopicService;
import dev.gazette.article.api.ArticleView.TopicView;
import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;

/**
 * Topics readers follow and articles belong to.
 */
@Path("/api/v1/topics")
@Tag(name = "Topics")
@SecurityRequirement(name = "apiToken")
@RolesAllowed(Roles.EDITOR)
public class TopicResource {

    private final TopicService topics;

    TopicResource(TopicService topics) {
        this.topics = topics;
    }

    /** A new topic. */
    public record CreateTopicRequest(@Schema(examples = "Climate") @NotBlank @Size(max = 100) String name,
            @Schema(description = "Generated from the name when omitted", examples = "climate") @Size(max = 100) String slug,
            @Schema(examples = "Science, policy and everyday life in a warming world.") @Size(max = 1000) String description) {
    }

    /** Changes to a topic; omitted fields keep their value. */
    public record UpdateTopicRequest(@Size(min = 1, max = 100) String name, @Size(max = 100) String slug,
            @Size(max = 1000) String description) {
    }

    /** The topic another one is merged into. */
    public record MergeTopicRequest(@Schema(description = "Id of the topic that remains", examples = "7") @NotNull Long into) {
    }

    @GET
    @Operation(summary = "List topics")
    public List<TopicView> list() {
        return topics.list().stream().map(TopicView::of).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a topic")
    public TopicView get(@PathParam("id") long id) {
        return topics.find(id).map(TopicView::of).orElseThrow(() -> ProblemException.notFound("Topic " + id));
    }

    @POST
    @Operation(summary = "Create a topic", description = "409 when the slug is taken.")
    public Response create(@Valid @NotNull CreateTopicRequest request) {
        TopicView view = TopicView.of(topics.create(request.name(), request.slug(), request.description()));
        return Response.created(URI.create("/api/v1/topics/" + view.id())).entity(view).build();
    }

    @PATCH
    @Path("/{id}")
    @Operation(summary = "Update a topic")
    public TopicView update(@PathParam("id") long id, @Valid @NotNull UpdateTopicRequest request) {
        return TopicView.of(topics.update(id, request.name(), request.slug(), request.description()));
    }

    @POST
    @Path("/{id}/merge")
    @Operation(summary = "Merge a topic into another",
            description = "Articles, feeds, readers, newsletters and channels with this topic get the other one (once if"
                    + " they had both); this topic is removed. Answers the remaining topic; 400 naming `into` when it is"
                    + " this topic or does not exist.")
    public TopicView merge(@PathParam("id") long id, @Valid @NotNull MergeTopicRequest request) {
        return TopicView.of(topics.merge(id, request.into()));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a topic", description = "Articles keep existing; they just lose the topic. Readers,"
            + " newsletters and channels no longer list it: a reader who followed only this topic is sent nothing until"
            + " they choose others (merge the topic instead to keep sending them articles).")
    public Response delete(@PathParam("id") long id) {
        topics.delete(id);
        return Response.noContent().build();
    }
}
