package dev.gazette.admin.web;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import dev.gazette.lifecycle.mail.LifecycleTexts;
import dev.gazette.lifecycle.reengage.ReengagementMail;
import dev.gazette.lifecycle.reengage.ReengagementStats;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Re-engagement and sunsetting in the editor: the policy (on or off, the inactive and grace days, the message), how
 * many readers it would mail now, a preview as a reader and a test send, and how past rounds ended.
 */
@Path("/admin/reengagement")
@Produces(MediaType.TEXT_HTML)
public class ReengagementPages {

    static final String SECTION = "newsletters";

    /** The form as typed: the days stay text so that what was typed is shown again with its error. */
    public record Form(boolean enabled, String inactiveDays, String graceDays, String subject, String body) {
        static Form of(ReengagementMail.Policy p) {
            return new Form(p.enabled(), String.valueOf(p.inactiveDays()), String.valueOf(p.graceDays()), p.subject(), p.body());
        }

        ReengagementMail.Policy policy() {
            return new ReengagementMail.Policy(enabled, number(inactiveDays), number(graceDays), subject, body);
        }

        private static Integer number(String s) {
            try {
                return s == null ? null : Integer.valueOf(s.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance reengagement(AdminChrome chrome, Form form, Map<String, String> errors, String notice,
                LifecycleTexts.Rendered preview, String reader, String testTo, Long wouldTouch,
                ReengagementStats.Summary numbers, long untracked);
    }

    private final AdminContext context;
    private final ReengagementMail policy;
    private final ReengagementStats stats;

    ReengagementPages(AdminContext context, ReengagementMail policy, ReengagementStats stats) {
        this.context = context;
        this.policy = policy;
        this.stats = stats;
    }

    @GET
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance page(@QueryParam("notice") String notice) {
        ReengagementMail.Policy saved = policy.policy();
        return page(Form.of(saved), Map.of(), "saved".equals(notice) ? "Saved." : null, null, "", "", saved.inactiveDays());
    }

    /** Saves, previews or sends a test of the policy as typed ({@code action}: save, preview, test). */
    @POST
    @RolesAllowed(Roles.EDITOR)
    public Response post(@RestForm String enabled, @RestForm String inactiveDays, @RestForm String graceDays,
            @RestForm String subject, @RestForm String body, @RestForm String action, @RestForm String reader,
            @RestForm String testTo) {
        Form typed = new Form("on".equals(enabled) || "true".equals(enabled), inactiveDays, graceDays, subject, body);
        Integer days = typed.policy().inactiveDays();
        Map<String, String> errors = new HashMap<>();
        try {
            if ("preview".equals(action) || "test".equals(action)) {
                ReengagementMail.Policy checked = policy.check(typed.policy());
                if ("test".equals(action) && (testTo == null || !testTo.strip().matches("[^@\\s]+@[^@\\s]+"))) {
                    errors.put("testTo", "must be an email address");
                } else if ("test".equals(action)) {
                    if (policy.test(checked, reader, testTo.strip())) {
                        return Response.ok(page(typed, errors, "A test was sent to " + testTo.strip() + ".", null, reader,
                                testTo, days)).build();
                    }
                    errors.put("reader", "no reader has this address; leave it empty for a sample reader");
                } else {
                    Optional<LifecycleTexts.Rendered> preview = policy.preview(checked, reader);
                    if (preview.isPresent()) {
                        return Response.ok(page(typed, errors, null, preview.get(), reader, testTo, days)).build();
                    }
                    errors.put("reader", "no reader has this address; leave it empty for a sample reader");
                }
                return Response.status(400).entity(page(typed, errors, null, null, reader, testTo, days)).build();
            }
            policy.save(typed.policy());
        } catch (ProblemException e) {
            return Response.status(e.status()).entity(page(typed, FieldErrors.of(e, "form"), null, null, reader, testTo,
                    e.violations() != null && e.violations().stream().anyMatch(v -> v.field().equals("inactiveDays")) ? null : days))
                    .build();
        }
        return Response.seeOther(URI.create("/admin/reengagement?notice=saved")).build();
    }

    private TemplateInstance page(Form form, Map<String, String> errors, String notice, LifecycleTexts.Rendered preview,
            String reader, String testTo, Integer days) {
        Long touch = days == null ? null : stats.wouldTouch(days);
        return Templates.reengagement(context.chrome(SECTION), form, errors, notice, preview, reader, testTo, touch,
                stats.summary(), stats.newslettersWithoutTracking());
    }
}
