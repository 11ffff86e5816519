package dev.gazette.digest.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.gazette.common.security.Roles;
import dev.gazette.digest.Newsletter;
import dev.gazette.digest.NewsletterService;

/** A newsletter's logo: the image as the request body (JPEG, PNG or WebP), checked as lead images are. */
@jakarta.ws.rs.Path("/api/v1/newsletters/{id}/logo")
@Tag(name = "Newsletters")
@SecurityRequirement(name = "apiToken")
@RolesAllowed(Roles.EDITOR)
public class NewsletterLogoResource {

    private final NewsletterService newsletters;

    NewsletterLogoResource(NewsletterService newsletters) {
        this.newsletters = newsletters;
    }

    @PUT
    @Consumes({ "image/jpeg", "image/png", "image/webp", "application/octet-stream" })
    @Operation(summary = "Set the logo shown at the top of every digest; 400 naming logo when the file is refused")
    public Map<String, String> put(@PathParam("id") long id, byte[] image) {
        Path file = null;
        try {
            file = Files.createTempFile("gazette-logo-", ".upload");
            Files.write(file, image == null ? new byte[0] : image);
            Newsletter n = newsletters.setLogo(id, file);
            return Map.of("logoUrl", n.logoUrl);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    file.toFile().deleteOnExit();
                }
            }
        }
    }

    @DELETE
    @Operation(summary = "Remove the logo")
    public void delete(@PathParam("id") long id) {
        newsletters.removeLogo(id);
    }
}
