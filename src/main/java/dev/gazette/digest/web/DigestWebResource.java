package dev.gazette.digest.web;

import java.util.Base64;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import dev.gazette.article.web.PageCache;
import dev.gazette.digest.OpenTracker;

/**
 * Public digest URLs: the web copy of each issue, and the open-tracking pixel of newsletters that enabled it.
 */
@Path("/")
public class DigestWebResource {

    private static final byte[] PIXEL = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private final DigestPages pages;
    private final PageCache cache;
    private final OpenTracker opens;

    DigestWebResource(DigestPages pages, PageCache cache, OpenTracker opens) {
        this.pages = pages;
        this.cache = cache;
        this.opens = opens;
    }

    @GET
    @Path("digests/{newsletter}/{number}")
    @Produces(MediaType.TEXT_HTML + ";charset=UTF-8")
    public Response issue(@PathParam("newsletter") String newsletter, @PathParam("number") String number, Request request) {
        String key = "digest:" + newsletter + "/" + number;
        PageCache.Entry entry = newsletter.length() > 100 || number.length() > 17 ? pages.notFound()
                : cache.get(key, () -> pages.issue(newsletter, number));
        return PageCache.respond(entry, "", entry.body(), request);
    }

    @GET
    @Path("o/{token}.gif")
    @Produces("image/gif")
    public Response open(@PathParam("token") String token) {
        opens.record(token);
        // Always the same answer, whether the token was good or not.
        return Response.ok(PIXEL).header("Cache-Control", "private, no-store").build();
    }
}
