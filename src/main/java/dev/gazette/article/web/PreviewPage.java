package dev.gazette.article.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /preview/{token}}: an unpublished article as its page will look, for whoever holds a private preview
 * link. Never cached by anyone, never indexed.
 */
@Path("/preview")
@Produces(MediaType.TEXT_HTML + ";charset=UTF-8")
public class PreviewPage {

    private static final CacheControl NO_STORE = CacheControl.valueOf("private, no-store");

    private final ArticlePreviews previews;

    PreviewPage(ArticlePreviews previews) {
        this.previews = previews;
    }

    @GET
    @Path("/{token}")
    public Response preview(@PathParam("token") String token) {
        ArticlePreviews.Page page = previews.open(token);
        return Response.status(page.status()).entity(page.html()).cacheControl(NO_STORE)
                .header("X-Robots-Tag", "noindex, nofollow").build();
    }
}
