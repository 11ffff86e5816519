package dev.gazette.admin.web;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import dev.gazette.lifecycle.mail.LifecycleTexts;
import dev.gazette.lifecycle.mail.WelcomeMail;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The welcome mail in the editor: switch it on, write it (Markdown and the documented values), preview it as a reader
 * chosen by address, send a test.
 */
@Path("/admin/welcome")
@Produces(MediaType.TEXT_HTML)
public class WelcomePages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance welcome(AdminChrome chrome, WelcomeMail.Settings form, Map<String, String> errors,
                String notice, LifecycleTexts.Rendered preview, String reader, String testTo,
                List<WelcomeMail.ImportedReaders> imports);
    }

    private final AdminContext context;
    private final WelcomeMail welcome;

    WelcomePages(AdminContext context, WelcomeMail welcome) {
        this.context = context;
        this.welcome = welcome;
    }

    @GET
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance page(@QueryParam("notice") String notice) {
        String message = null;
        if (notice != null && notice.matches("planned-\\d{1,9}")) {
            int planned = Integer.parseInt(notice.substring(8));
            message = planned == 0 ? "Every reader of this import has had the welcome, or has left."
                    : planned + (planned == 1 ? " imported reader gets" : " imported readers get") + " the welcome within a minute.";
        } else if ("saved".equals(notice)) {
            message = "Saved.";
        }
        return Templates.welcome(context.chrome("newsletters"), welcome.settings(), Map.of(), message, null, "", "",
                welcome.imports());
    }

    /** Sends the welcome to the readers of an import who have not had it. */
    @POST
    @Path("/imports/{id: \\d+}")
    @RolesAllowed(Roles.EDITOR)
    public Response welcomeImport(@PathParam("id") long id) {
        try {
            int planned = welcome.welcomeImport(id);
            return Response.seeOther(URI.create("/admin/welcome?notice=planned-" + planned)).build();
        } catch (ProblemException e) {
            return Response.status(e.status()).entity(Templates.welcome(context.chrome("newsletters"), welcome.settings(),
                    FieldErrors.of(e, "form"), null, null, "", "", welcome.imports())).build();
        }
    }

    /** Saves, previews or sends a test of the welcome as typed ({@code action}: save, preview, test). */
    @POST
    @RolesAllowed(Roles.EDITOR)
    public Response post(@RestForm String enabled, @RestForm String subject, @RestForm String body, @RestForm String action,
            @RestForm String reader, @RestForm String testTo) {
        WelcomeMail.Settings typed = new WelcomeMail.Settings("on".equals(enabled) || "true".equals(enabled), subject, body, null);
        Map<String, String> errors = new HashMap<>();
        try {
            if ("preview".equals(action) || "test".equals(action)) {
                // checked as a save would check it, without saving
                WelcomeMail.Settings checked = welcome.check(typed);
                if ("test".equals(action) && (testTo == null || !testTo.strip().matches("[^@\\s]+@[^@\\s]+"))) {
                    errors.put("testTo", "must be an email address");
                } else if ("test".equals(action)) {
                    if (welcome.test(checked, reader, testTo.strip())) {
                        return Response.ok(Templates.welcome(context.chrome("newsletters"), typed, errors,
                                "A test was sent to " + testTo.strip() + ".", null, reader, testTo, welcome.imports())).build();
                    }
                    errors.put("reader", "no reader has this address; leave it empty for a sample reader");
                } else {
                    Optional<LifecycleTexts.Rendered> preview = welcome.preview(checked, reader);
                    if (preview.isPresent()) {
                        return Response.ok(Templates.welcome(context.chrome("newsletters"), typed, errors, null, preview.get(),
                                reader, testTo, welcome.imports())).build();
                    }
                    errors.put("reader", "no reader has this address; leave it empty for a sample reader");
                }
                return Response.status(400).entity(Templates.welcome(context.chrome("newsletters"), typed, errors, null, null,
                        reader, testTo, welcome.imports())).build();
            }
            welcome.save(typed);
        } catch (ProblemException e) {
            return Response.status(e.status()).entity(Templates.welcome(context.chrome("newsletters"), typed,
                    FieldErrors.of(e, "form"), null, null, reader, testTo, welcome.imports())).build();
        }
        return Response.seeOther(URI.create("/admin/welcome?notice=saved")).build();
    }
}
