package dev.gazette.admin.web;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
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
import dev.gazette.lifecycle.mail.OnboardingSteps;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The onboarding sequence in the editor: its steps in the order readers get them, with how far readers got (reached,
 * sent, clicked), the sequence's send time, and a form per step to write it, preview it as a reader and send a test.
 */
@Path("/admin/onboarding")
@Produces(MediaType.TEXT_HTML)
public class OnboardingPages {

    private static final String SECTION = "newsletters";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance onboarding(AdminChrome chrome, List<OnboardingSteps.Step> steps, OnboardingSteps.Settings settings,
                Map<String, String> errors, String notice);

        static native TemplateInstance step(AdminChrome chrome, Long id, OnboardingSteps.StepInput form, Map<String, String> errors,
                String notice, LifecycleTexts.Rendered preview, String reader, String testTo);
    }

    private final AdminContext context;
    private final OnboardingSteps steps;

    OnboardingPages(AdminContext context, OnboardingSteps steps) {
        this.context = context;
        this.steps = steps;
    }

    @GET
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance page(@QueryParam("notice") String notice) {
        return Templates.onboarding(context.chrome(SECTION), steps.list(), steps.settings(), Map.of(), notice(notice));
    }

    private static String notice(String code) {
        return switch (code == null ? "" : code) {
            case "saved" -> "Saved.";
            case "deleted" -> "The step was deleted.";
            default -> null;
        };
    }

    @POST
    @Path("/settings")
    @RolesAllowed(Roles.EDITOR)
    public Response settings(@RestForm String sendTime, @RestForm String trackLinks) {
        try {
            steps.saveSettings(sendTime, "on".equals(trackLinks));
        } catch (ProblemException e) {
            return Response.status(e.status()).entity(Templates.onboarding(context.chrome(SECTION), steps.list(),
                    steps.settings(), FieldErrors.of(e, "form"), null)).build();
        }
        return Response.seeOther(URI.create("/admin/onboarding?notice=saved")).build();
    }

    @GET
    @Path("/steps/new")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance newStep() {
        OnboardingSteps.StepInput blank = new OnboardingSteps.StepInput(true, "3", "", "Hello{#if name} {name}{/if},\n\n", "0");
        return Templates.step(context.chrome(SECTION), null, blank, Map.of(), null, null, "", "");
    }

    @GET
    @Path("/steps/{id: \\d+}")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance step(@PathParam("id") long id, @QueryParam("notice") String notice) {
        OnboardingSteps.StepInput form = steps.find(id).orElseThrow(NotFoundException::new);
        return Templates.step(context.chrome(SECTION), id, form, Map.of(), notice(notice), null, "", "");
    }

    @POST
    @Path("/steps")
    @RolesAllowed(Roles.EDITOR)
    public Response create(@RestForm String enabled, @RestForm String delayDays, @RestForm String subject, @RestForm String body,
            @RestForm String latestArticles, @RestForm String action, @RestForm String reader, @RestForm String testTo) {
        return post(null, new OnboardingSteps.StepInput("on".equals(enabled), delayDays, subject, body, latestArticles), action,
                reader, testTo);
    }

    @POST
    @Path("/steps/{id: \\d+}")
    @RolesAllowed(Roles.EDITOR)
    public Response update(@PathParam("id") long id, @RestForm String enabled, @RestForm String delayDays, @RestForm String subject,
            @RestForm String body, @RestForm String latestArticles, @RestForm String action, @RestForm String reader,
            @RestForm String testTo) {
        if (steps.find(id).isEmpty()) {
            throw new NotFoundException();
        }
        if ("delete".equals(action)) {
            steps.delete(id);
            return Response.seeOther(URI.create("/admin/onboarding?notice=deleted")).build();
        }
        return post(id, new OnboardingSteps.StepInput("on".equals(enabled), delayDays, subject, body, latestArticles), action,
                reader, testTo);
    }

    /** Saves, previews or sends a test of the step as typed ({@code action}: save, preview, test). */
    private Response post(Long id, OnboardingSteps.StepInput typed, String action, String reader, String testTo) {
        Map<String, String> errors = new HashMap<>();
        try {
            if ("test".equals(action)) {
                if (testTo == null || !testTo.strip().matches("[^@\\s]+@[^@\\s]+")) {
                    errors.put("testTo", "must be an email address");
                } else if (steps.test(typed, reader, testTo.strip())) {
                    return Response.ok(Templates.step(context.chrome(SECTION), id, typed, errors,
                            "A test was sent to " + testTo.strip() + ".", null, reader, testTo)).build();
                } else {
                    errors.put("reader", "no reader has this address; leave it empty for a sample reader");
                }
            } else if ("preview".equals(action)) {
                Optional<LifecycleTexts.Rendered> preview = steps.preview(typed, reader);
                if (preview.isPresent()) {
                    return Response.ok(Templates.step(context.chrome(SECTION), id, typed, errors, null, preview.get(), reader,
                            testTo)).build();
                }
                errors.put("reader", "no reader has this address; leave it empty for a sample reader");
            } else {
                long saved = id == null ? steps.create(typed) : id;
                if (id != null) {
                    steps.update(id, typed);
                }
                return Response.seeOther(URI.create(id == null ? "/admin/onboarding?notice=saved"
                        : "/admin/onboarding/steps/" + saved + "?notice=saved")).build();
            }
            return Response.status(400).entity(Templates.step(context.chrome(SECTION), id, typed, errors, null, null, reader,
                    testTo)).build();
        } catch (ProblemException e) {
            return Response.status(e.status()).entity(Templates.step(context.chrome(SECTION), id, typed, FieldErrors.of(e, "form"),
                    null, null, reader, testTo)).build();
        }
    }
}
