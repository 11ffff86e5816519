package dev.gazette.admin.web;

import java.net.URI;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import dev.gazette.digest.Newsletter;
import dev.gazette.digest.NewsletterService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** A newsletter's logo in the editor: upload one (checked like lead images), or remove it. */
@Path("/admin/newsletters/{id: \\d+}/logo")
@Produces(MediaType.TEXT_HTML)
public class NewsletterLogoPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance logo(AdminChrome chrome, Newsletter newsletter, Map<String, String> errors, String notice);
    }

    private final AdminContext context;
    private final NewsletterService newsletters;

    NewsletterLogoPages(AdminContext context, NewsletterService newsletters) {
        this.context = context;
        this.newsletters = newsletters;
    }

    @GET
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance page(@PathParam("id") long id, @QueryParam("notice") String notice) {
        return Templates.logo(context.chrome("newsletters"), newsletters.get(id), Map.of(),
                "saved".equals(notice) ? "Logo saved: every digest from now on shows it." : "removed".equals(notice) ? "Logo removed." : null);
    }

    @POST
    @RolesAllowed(Roles.EDITOR)
    public Response upload(@PathParam("id") long id, @RestForm("logo") FileUpload logo) {
        if (logo == null || logo.fileName() == null || logo.fileName().isBlank()) {
            return Response.status(400).entity(Templates.logo(context.chrome("newsletters"), newsletters.get(id),
                    Map.of("logo", "choose an image file"), null)).build();
        }
        try {
            newsletters.setLogo(id, logo.uploadedFile());
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw e;
            }
            return Response.status(e.status()).entity(Templates.logo(context.chrome("newsletters"), newsletters.get(id),
                    FieldErrors.of(e, "logo"), null)).build();
        }
        return Response.seeOther(URI.create("/admin/newsletters/" + id + "/logo?notice=saved")).build();
    }

    @POST
    @Path("/remove")
    @RolesAllowed(Roles.EDITOR)
    public Response remove(@PathParam("id") long id) {
        newsletters.removeLogo(id);
        return Response.seeOther(URI.create("/admin/newsletters/" + id + "/logo?notice=removed")).build();
    }
}
