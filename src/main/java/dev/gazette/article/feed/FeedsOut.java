package dev.gazette.article.feed;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import dev.gazette.article.Slugs;
import dev.gazette.article.web.PageCache;

/**
 * RSS 2.0 and Atom feeds of the latest published articles, for the whole site and per topic.
 */
@Path("/")
public class FeedsOut {

    private final PageCache cache;
    private final FeedWriter writer;

    FeedsOut(PageCache cache, FeedWriter writer) {
        this.cache = cache;
        this.writer = writer;
    }

    @GET
    @Path("feed.xml")
    @Produces("application/rss+xml;charset=UTF-8")
    public Response rss(Request request) {
        return respond(cache.get("feed:rss", () -> writer.site(FeedWriter.RSS)), request);
    }

    @GET
    @Path("atom.xml")
    @Produces("application/atom+xml;charset=UTF-8")
    public Response atom(Request request) {
        return respond(cache.get("feed:atom", () -> writer.site(FeedWriter.ATOM)), request);
    }

    @GET
    @Path("topics/{slug}/feed.xml")
    @Produces("application/rss+xml;charset=UTF-8")
    public Response topic(@PathParam("slug") String slug, Request request) {
        if (!Slugs.isValid(slug)) {
            return Response.status(404).build();
        }
        return respond(cache.get("feed:topic:" + slug, () -> writer.topic(slug)), request);
    }

    private static Response respond(PageCache.Entry entry, Request request) {
        return PageCache.respond(entry, "", entry.body(), request);
    }
}
