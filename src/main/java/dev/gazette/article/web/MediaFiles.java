package dev.gazette.article.web;

import java.nio.file.Path;
import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import dev.gazette.article.media.MediaService;

/**
 * Uploaded images at {@code /media/<name>.jpg}. A name is the hash of the upload, so its content never changes: the
 * answer may be kept for a year and needs no revalidation ({@code immutable}); a client that asks anyway with the
 * ETag gets 304. Only names the media service makes are served, so no path leaves the media folder.
 */
@jakarta.ws.rs.Path("/media")
public class MediaFiles {

    private static final String CACHE = "public, max-age=31536000, immutable";

    private final MediaService media;

    MediaFiles(MediaService media) {
        this.media = media;
    }

    @GET
    @jakarta.ws.rs.Path("{name}")
    public Response file(@PathParam("name") String name, Request request) {
        Optional<Path> file = media.file(name);
        if (file.isEmpty()) {
            throw new NotFoundException();
        }
        EntityTag tag = new EntityTag(name.substring(0, name.length() - ".jpg".length()));
        Response.ResponseBuilder unchanged = request.evaluatePreconditions(tag);
        if (unchanged != null) {
            return unchanged.header("Cache-Control", CACHE).build();
        }
        return Response.ok(file.get(), "image/jpeg").tag(tag).header("Cache-Control", CACHE).build();
    }
}
