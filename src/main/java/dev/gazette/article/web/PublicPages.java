package dev.gazette.article.web;

import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import dev.gazette.article.Slugs;
import io.quarkus.qute.Escaper;

/**
 * The public site: front page, article pages and topic pages. Served from {@link PageCache} with ETag and
 * Last-Modified, answering conditional requests with 304. With federation on, an article's address also answers an
 * ActivityPub {@code Accept} with the article as an ActivityStreams object ({@link ActivityRepresentation}); both
 * answers then say {@code Vary: Accept} and are cached apart.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML + ";charset=UTF-8")
public class PublicPages {

    /** Where the subscribe forms receive the hidden fields saying how the reader arrived. */
    static final String ATTRIBUTION_MARKER = "<!--attribution-->";
    static final List<String> ATTRIBUTION_PARAMS = List.of("ref", "utm_source", "utm_medium", "utm_campaign",
            "utm_content", "utm_term");
    private static final Pattern SAFE_VALUE = Pattern.compile("[\\p{L}\\p{N} ._~+-]{1,100}");
    private static final Escaper HTML = Escaper.builder().add('"', "&quot;").add('\'', "&#39;").add('&', "&amp;")
            .add('<', "&lt;").add('>', "&gt;").build();

    private final PageCache cache;
    private final ArticlePages pages;
    private final ActivityRepresentation activity;

    PublicPages(PageCache cache, ArticlePages pages, Instance<ActivityRepresentation> activity) {
        this.cache = cache;
        this.pages = pages;
        this.activity = activity.isResolvable() && activity.get().enabled() ? activity.get() : null;
    }

    @GET
    public Response home(Request request, UriInfo uri) {
        return respond(cache.get("home", pages::home), request, uri);
    }

    @GET
    @Path("articles/{slug}")
    @Produces({ MediaType.TEXT_HTML + ";charset=UTF-8", "application/activity+json", "application/ld+json" })
    public Response article(@PathParam("slug") String slug, @HeaderParam(HttpHeaders.ACCEPT) String accept,
            Request request, UriInfo uri) {
        boolean valid = Slugs.isValid(slug) && slug.length() <= 200;
        if (activity != null && activity.wanted(accept)) {
            // cached under its own key: the same address answers HTML and JSON
            PageCache.Entry entry = cache.get(valid ? "article-activity:" + slug : "not-found-activity",
                    () -> activity.article(valid ? slug : "-"));
            Response response = PageCache.respond(entry, "", entry.body(), request);
            return Response.fromResponse(response).type(entry.status() == 200 ? activity.mediaType() : "application/problem+json")
                    .header(HttpHeaders.VARY, HttpHeaders.ACCEPT).build();
        }
        Response response = valid ? respond(cache.get("article:" + slug, () -> pages.article(slug)), request, uri)
                : respond(cache.get("not-found", () -> pages.message(404, "Article not found",
                        "There is no article at this address.")), request, uri);
        // the page whatever else the client named: the method also produces JSON, so the type is set here
        Response.ResponseBuilder page = Response.fromResponse(response).type(MediaType.TEXT_HTML + ";charset=UTF-8");
        return (activity != null ? page.header(HttpHeaders.VARY, HttpHeaders.ACCEPT) : page).build();
    }

    @GET
    @Path("topics/{slug}")
    public Response topic(@PathParam("slug") String slug, Request request, UriInfo uri) {
        if (!Slugs.isValid(slug) || slug.length() > 100) {
            return respond(cache.get("topic-not-found", () -> pages.message(404, "Topic not found",
                    "There is no topic at this address.")), request, uri);
        }
        return respond(cache.get("topic:" + slug, () -> pages.topic(slug)), request, uri);
    }

    private Response respond(PageCache.Entry entry, Request request, UriInfo uri) {
        String attribution = attribution(uri.getQueryParameters());
        // Most requests (every preview fetcher) carry none: serve the cached body as is, marker comment and all.
        String body = attribution.isEmpty() ? entry.body() : entry.body().replace(ATTRIBUTION_MARKER, attribution);
        return PageCache.respond(entry, attribution, body, request);
    }

    /** Hidden form fields carrying the tracked-link code and UTM parameters the reader arrived with, if well-formed. */
    static String attribution(MultivaluedMap<String, String> query) {
        StringBuilder fields = new StringBuilder();
        for (String name : ATTRIBUTION_PARAMS) {
            String value = query.getFirst(name);
            if (value != null && SAFE_VALUE.matcher(value).matches()) {
                fields.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"")
                        .append(HTML.escape(value)).append("\">");
            }
        }
        return fields.toString();
    }
}
