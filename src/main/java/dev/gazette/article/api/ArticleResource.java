package dev.gazette.article.api;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.gazette.article.ArticleInput;
import dev.gazette.article.ArticleService;
import dev.gazette.article.ArticleStatus;
import dev.gazette.article.BodyFormat;
import dev.gazette.common.config.SiteConfig;
import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;

/**
 * Articles for editors: write, list, publish, schedule, unpublish, delete drafts.
 */
@Path("/api/v1/articles")
@Tag(name = "Articles")
@SecurityRequirement(name = "apiToken")
@RolesAllowed(Roles.EDITOR)
public class ArticleResource {

    private final ArticleService articles;
    private final SiteConfig site;

    ArticleResource(ArticleService articles, SiteConfig site) {
        this.articles = articles;
        this.site = site;
    }

    /** Fields of an article. On update, omitted fields keep their value. */
    public record ArticleRequest(
            @Schema(examples = "Heatwave: what the new records mean") @Size(max = 300) String title,
            @Schema(description = "Generated from the title when omitted; cannot change once published",
                    examples = "heatwave-records") @Size(max = 200) String slug,
            @Schema(examples = "Three scientists explain the numbers.") @Size(max = 1000) String summary,
            @Schema(description = "Markdown (or HTML with bodyFormat HTML); sanitised before display",
                    examples = "Temperatures **broke** records in 40 cities.") @Size(max = 1_000_000) String body,
            @Schema(examples = "MARKDOWN") BodyFormat bodyFormat,
            @Schema(examples = "https://images.example.org/heat.jpg") @Size(max = 2000) String imageUrl,
            @Schema(examples = "A thermometer in the sun showing 45 °C") @Size(max = 500) String imageAlt,
            @Schema(examples = "Noon in Seville, 14 July") @Size(max = 1000) String imageCaption,
            @Schema(examples = "Photo: Ana Ruiz, CC BY 4.0") @Size(max = 500) String imageCredit,
            @Schema(examples = "Ana Ruiz") @Size(max = 200) String author,
            @Schema(description = "Topic slugs", examples = "[\"climate\"]") @Size(max = 50) List<String> topics,
            @Schema(examples = "en") @Size(max = 20) String language,
            @Schema(description = "Origin of a republished article; the article's own page when omitted")
            @Size(max = 2000) String canonicalUrl) {

        ArticleInput toInput() {
            return new ArticleInput(title, slug, summary, body, bodyFormat, imageUrl, imageAlt, imageCaption, imageCredit,
                    author, topics, language, canonicalUrl);
        }
    }

    /** When to publish. */
    public record ScheduleRequest(@Schema(examples = "2026-12-01T07:00:00Z") @NotNull Instant publishAt) {
    }

    /** One page of articles; pass {@code nextCursor} as {@code after} for the next. */
    public record ArticlePage(List<ArticleView> items, String nextCursor) {
    }

    @POST
    @Operation(summary = "Create an article", description = "Creates a draft. 400 names each invalid field; 409 when the slug is taken.")
    public Response create(@Valid @NotNull ArticleRequest request) {
        ArticleView view = ArticleView.of(articles.create(request.toInput()), site.baseUrl());
        return Response.created(URI.create("/api/v1/articles/" + view.id())).entity(view).build();
    }

    @GET
    @Operation(summary = "List articles", description = "Newest first, keyset-paginated.")
    public ArticlePage list(@QueryParam("status") ArticleStatus status,
            @Parameter(description = "Topic slug") @QueryParam("topic") String topic,
            @Parameter(description = "Text the title contains (case-insensitive)") @QueryParam("q") @Size(max = 200) String q,
            @Parameter(description = "Cursor from the previous page") @QueryParam("after") Long after,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit) {
        ArticleService.Page page = articles.list(new ArticleService.Filter(status, topic, q), after, limit);
        return new ArticlePage(page.items().stream().map(a -> ArticleView.of(a, site.baseUrl())).toList(),
                page.nextCursor() == null ? null : page.nextCursor().toString());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get an article")
    public ArticleView get(@PathParam("id") long id) {
        return articles.find(id).map(a -> ArticleView.of(a, site.baseUrl()))
                .orElseThrow(() -> ProblemException.notFound("Article " + id));
    }

    @PATCH
    @Path("/{id}")
    @Operation(summary = "Update an article", description = "Only the fields sent change.")
    public ArticleView update(@PathParam("id") long id, @Valid @NotNull ArticleRequest request) {
        return ArticleView.of(articles.update(id, request.toInput()), site.baseUrl());
    }

    @POST
    @Path("/{id}/publish")
    @Operation(summary = "Publish now")
    public ArticleView publish(@PathParam("id") long id) {
        return ArticleView.of(articles.publishNow(id), site.baseUrl());
    }

    @POST
    @Path("/{id}/schedule")
    @Operation(summary = "Schedule publication")
    public ArticleView schedule(@PathParam("id") long id, @Valid @NotNull ScheduleRequest request) {
        return ArticleView.of(articles.schedule(id, request.publishAt()), site.baseUrl());
    }

    @POST
    @Path("/{id}/unpublish")
    @Operation(summary = "Unpublish", description = "A published article's page answers 410 Gone; a scheduled one goes back to draft.")
    public ArticleView unpublish(@PathParam("id") long id) {
        return ArticleView.of(articles.unpublish(id), site.baseUrl());
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a draft", description = "Only drafts: anything else is 409. So is a draft that was"
            + " published and withdrawn while what was sent of it elsewhere still needs its row, as a fediverse Delete"
            + " that has not reached every server yet; the problem's detail says why.")
    public Response delete(@PathParam("id") long id) {
        articles.deleteDraft(id);
        return Response.noContent().build();
    }
}
