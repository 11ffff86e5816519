package dev.gazette.admin.web;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DayOfWeek;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import dev.gazette.article.Topic;
import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import dev.gazette.digest.Cadence;

import dev.gazette.digest.DigestAssembler;

import dev.gazette.digest.DigestPreview;
import dev.gazette.digest.DigestTemplate;
import dev.gazette.digest.IssueService;
import dev.gazette.digest.Newsletter;
import dev.gazette.digest.NewsletterInput;
import dev.gazette.digest.NewsletterService;
import dev.gazette.digest.SendConfirmations;

import dev.gazette.digest.api.NewsletterResource;
import dev.gazette.mail.HeaderFields;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The newsletters section of the editor UI: the list, the create and edit form (with the next send times in a few
 * time zones), and each newsletter's page: its issues with live progress and pause, resume and cancel, a preview of a
 * reader's digest, a test send, and sending an issue now. Everything goes through the services the API uses, with the
 * API's own validation of the input.
 */
@Path("/admin/newsletters")
@Produces(MediaType.TEXT_HTML)
public class NewsletterPages {

    private static final int ISSUES = 50;
    private static final int FAILURES = 500;
    private static final List<Option> DAYS = Arrays.stream(DayOfWeek.values())
            .map(d -> new Option(d.name(), d.getDisplayName(java.time.format.TextStyle.FULL, Locale.ENGLISH))).toList();

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance newsletters(AdminChrome chrome, List<Newsletter> newsletters, String notice);

        static native TemplateInstance form(AdminChrome chrome, NewsletterForm form, List<Topic> topics, List<Option> days,
                List<Cadence> cadences, List<DigestTemplate> templates, Map<String, String> errors, Schedule runs);

        static native TemplateInstance newsletter(AdminChrome chrome, Newsletter newsletter, Schedule runs, List<IssueRow> issues,
                Actions actions, Map<String, String> errors, String notice);

        static native TemplateInstance preview(AdminChrome chrome, Newsletter newsletter, String reader, String subscriberId,
                Long readerId, DigestPreview.Rendered rendered, Map<String, String> errors);

        static native TemplateInstance nextRuns(Schedule runs);

        static native TemplateInstance confirmSend(AdminChrome chrome, Newsletter newsletter, IssueService.Audience audience,
                String confirmation, long confirmationMinutes, String problem);

        static native TemplateInstance confirmCancel(AdminChrome chrome, Newsletter newsletter, IssueRow row, String confirmation,
                long confirmationMinutes, String problem);

        static native TemplateInstance issueRow(AdminChrome chrome, long newsletterId, IssueRow row);

        static native TemplateInstance failures(AdminChrome chrome, Newsletter newsletter, IssueRow row,
                List<IssueService.Failure> failures, int limit);
    }

    /** A choice in a select. */
    public record Option(String value, String label) {
    }

    /** What was typed in the newsletter page's own forms, kept when one of them is sent back with an error. */
    public record Actions(String testTo, String testSubscriber, String subject) {
        static final Actions EMPTY = new Actions("", "", "");
    }

    private final AdminContext context;
    private final NewsletterService newsletters;
    private final IssueService issues;
    private final DigestPreview preview;
    private final DigestAssembler assembler;
    private final SendConfirmations confirmations;
    private final Validator validator;
    private final Clock clock;

    NewsletterPages(AdminContext context, NewsletterService newsletters, IssueService issues, DigestPreview preview,
            DigestAssembler assembler, SendConfirmations confirmations, Validator validator, Clock clock) {
        this.context = context;
        this.newsletters = newsletters;
        this.issues = issues;
        this.preview = preview;
        this.assembler = assembler;
        this.confirmations = confirmations;
        this.validator = validator;
        this.clock = clock;
    }

    private AdminChrome chrome() {
        return context.chrome("newsletters");
    }

    // ---- list

    @GET
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance list(@QueryParam("notice") String notice) {
        return Templates.newsletters(chrome(), newsletters.list(), "deleted".equals(notice) ? "Newsletter deleted." : null);
    }

    // ---- create and edit

    @GET
    @Path("/new")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance newForm() {
        return formPage(NewsletterForm.blank(), Map.of());
    }

    @GET
    @Path("/{id: \\d+}/edit")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance editForm(@PathParam("id") long id) {
        return formPage(NewsletterForm.of(newsletters.get(id)), Map.of());
    }

    private TemplateInstance formPage(NewsletterForm form, Map<String, String> errors) {
        return Templates.form(chrome(), form, newsletters.topics(), DAYS, Arrays.asList(Cadence.values()),
                Arrays.asList(DigestTemplate.values()), errors, Schedule.of(form.cadence(), form.weeklyDay(), form.sendTime(), true, clock));
    }

    /** The next runs for the schedule being typed, refreshed by htmx as the cadence, day or time change. */
    @GET
    @Path("/next-runs")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance nextRuns(@QueryParam("cadence") String cadence, @QueryParam("weeklyDay") String weeklyDay,
            @QueryParam("sendTime") String sendTime) {
        return Templates.nextRuns(Schedule.of(cadence, weeklyDay, sendTime, true, clock));
    }

    @POST
    @RolesAllowed(Roles.EDITOR)
    public Response create(@BeanParam NewsletterForm.Fields fields) {
        return save(fields.form(null));
    }

    @POST
    @Path("/{id: \\d+}")
    @RolesAllowed(Roles.EDITOR)
    public Response update(@PathParam("id") long id, @BeanParam NewsletterForm.Fields fields) {
        newsletters.get(id);
        return save(fields.form(id));
    }

    private Response save(NewsletterForm form) {
        Map<String, String> errors = new LinkedHashMap<>();
        NewsletterInput input = NewsletterForm.input(form, errors);
        for (ConstraintViolation<NewsletterInput> v : validator.validate(input)) {
            errors.merge(v.getPropertyPath().toString(), v.getMessage(), (x, y) -> x + "; " + y);
        }
        Newsletter saved = null;
        if (errors.isEmpty()) {
            try {
                saved = form.id() == null ? newsletters.create(input) : newsletters.update(form.id(), input);
            } catch (ProblemException e) {
                errors.putAll(FieldErrors.of(e, "form"));
            }
        }
        if (saved == null) {
            return Response.status(400).entity(formPage(form, errors)).build();
        }
        if (form.id() != null) {
            assembler.clear();
        }
        return Response.seeOther(URI.create("/admin/newsletters/" + saved.id + "?notice=" + (form.id() == null ? "created" : "saved")))
                .build();
    }

    // ---- a newsletter's page

    @GET
    @Path("/{id: \\d+}")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance newsletter(@PathParam("id") long id, @QueryParam("notice") String notice, @QueryParam("to") String to,
            @QueryParam("issue") Integer issue, @QueryParam("readers") Long readers) {
        return page(newsletters.get(id), Actions.EMPTY, Map.of(), noticeText(notice, to, issue, readers));
    }

    private TemplateInstance page(Newsletter n, Actions actions, Map<String, String> errors, String notice) {
        List<IssueRow> rows = new ArrayList<>();
        for (IssueService.Progress p : issues.progress(issues.list(n.id, ISSUES))) {
            rows.add(IssueRow.of(p));
        }
        return Templates.newsletter(chrome(), n, Schedule.of(n.cadence.name(), n.weeklyDay.name(), n.sendTime.toString(), n.active, clock),
                rows, actions, errors, notice);
    }

    private static String noticeText(String notice, String to, Integer issue, Long readers) {
        if (notice == null) {
            return null;
        }
        return switch (notice) {
            case "created" -> "Newsletter created.";
            case "saved" -> "Saved.";
            case "test" -> to != null && to.length() <= 320 && to.contains("@") ? "A test of the digest was sent to " + to + "."
                    : "A test of the digest was sent.";
            case "sent" -> issue == null ? "The issue is being sent."
                    : "Issue #" + issue + " is being sent to " + (readers == null ? 0 : readers)
                            + (readers != null && readers == 1 ? " reader." : " readers.");
            case "special-sent" -> "The special edition is on its way: follow it in the issues below.";
            case "paused" -> "Issue paused: messages not yet handed to the mail server wait.";
            case "resumed" -> "Issue resumed.";
            case "cancelled" -> "Issue cancelled: what was not sent yet will not be sent.";
            default -> null;
        };
    }

    // ---- preview, test, send now

    @GET
    @Path("/{id: \\d+}/preview")
    @RolesAllowed(Roles.EDITOR)
    public Response preview(@PathParam("id") long id, @QueryParam("reader") String reader,
            @QueryParam("subscriberId") String subscriberId) {
        Newsletter n = newsletters.get(id);
        Map<String, String> errors = new LinkedHashMap<>();
        Long subscriber = PreviewReaders.resolve(preview, reader, subscriberId, errors);
        String typed = reader == null ? "" : reader.strip();
        if (!errors.isEmpty()) {
            return Response.status(400).entity(Templates.preview(chrome(), n, typed, subscriberId, null, null, errors)).build();
        }
        try {
            return Response.ok(Templates.preview(chrome(), n, typed, subscriberId == null ? "" : subscriberId.strip(),
                    subscriber, preview.render(id, subscriber), Map.of())).build();
        } catch (ProblemException e) {
            return Response.status(e.status()).entity(Templates.preview(chrome(), n, typed, subscriberId, null, null,
                    FieldErrors.of(e, "form"))).build();
        }
    }

    @POST
    @Path("/{id: \\d+}/test")
    @RolesAllowed(Roles.EDITOR)
    public Response test(@PathParam("id") long id, @RestForm String to, @RestForm String reader,
            @RestForm String subscriberId) {
        Newsletter n = newsletters.get(id);
        Map<String, String> errors = new LinkedHashMap<>();
        Long subscriber = PreviewReaders.resolve(preview, reader, subscriberId, errors);
        String address = to == null ? null : to.strip();
        for (ConstraintViolation<NewsletterResource.TestRequest> v : validator.validate(new NewsletterResource.TestRequest(address,
                subscriber))) {
            errors.merge("to", v.getMessage(), (x, y) -> x + "; " + y);
        }
        Actions actions = new Actions(to, blank(reader) ? subscriberId : reader, "");
        if (!errors.isEmpty()) {
            return Response.status(400).entity(page(n, actions, prefixed("test", errors), null)).build();
        }
        try {
            preview.sendTest(id, subscriber, address);
        } catch (ProblemException e) {
            return Response.status(e.status()).entity(page(n, actions, prefixed("test", FieldErrors.of(e, "form")), null)).build();
        }
        return Response.seeOther(URI.create("/admin/newsletters/" + id + "?notice=test&to="
                + URLEncoder.encode(address, StandardCharsets.UTF_8))).build();
    }

    /**
     * The confirmation of a send: the subject and the exact number of readers it goes to, with a signed token that
     * binds both (and the issue number, so a repeated answer does not send twice).
     */
    @GET
    @Path("/{id: \\d+}/send")
    @RolesAllowed(Roles.EDITOR)
    public Response confirmSend(@PathParam("id") long id, @QueryParam("subject") String subject) {
        Newsletter n = newsletters.get(id);
        String wanted = subject == null || subject.isBlank() ? null : subject.strip();
        Map<String, String> errors = new LinkedHashMap<>();
        for (ConstraintViolation<NewsletterResource.SendRequest> v : validator.validate(new NewsletterResource.SendRequest(null, wanted,
                0L))) {
            errors.merge("subject", v.getMessage(), (x, y) -> x + "; " + y);
        }
        if (errors.isEmpty() && HeaderFields.hasControlCharacters(wanted)) {
            errors.put("subject", HeaderFields.CONTROL_CHARACTERS);
        }
        if (!errors.isEmpty()) {
            return Response.status(400).entity(page(n, new Actions("", "", subject), prefixed("send", errors), null)).build();
        }
        return confirmSendPage(n, wanted, 200, null);
    }

    private Response confirmSendPage(Newsletter n, String subject, int status, String problem) {
        IssueService.Audience audience = issues.audience(n.id, null, subject);
        return Response.status(status).entity(Templates.confirmSend(chrome(), n, audience, confirmations.forSend(audience),
                SendConfirmations.LIFETIME.toMinutes(), problem))
                .build();
    }

    /** Sends an issue now, only with a confirmation that matches the subject, the count and the issue number of now. */
    @POST
    @Path("/{id: \\d+}/send")
    @RolesAllowed(Roles.EDITOR)
    public Response sendNow(@PathParam("id") long id, @RestForm String subject, @RestForm String expectedRecipients,
            @RestForm String issueNumber, @RestForm String confirmation) {
        Newsletter n = newsletters.get(id);
        Long recipients = number(expectedRecipients);
        Long number = number(issueNumber);
        String shown = subject == null ? "" : subject;
        SendConfirmations.Check check = recipients == null || number == null || number > Integer.MAX_VALUE
                || shown.isBlank() || shown.length() > 300 ? SendConfirmations.Check.INVALID
                : confirmations.checkSend(confirmation, id, number.intValue(), recipients, shown);
        switch (check) {
            case INVALID -> {
                return confirmSendPage(n, shown.isBlank() || shown.length() > 300 ? null : shown, 400,
                        "Nothing was sent: a send needs your confirmation of the subject and the number of readers. Check them below.");
            }
            case EXPIRED -> {
                return confirmSendPage(n, shown, 409, "Nothing was sent: the confirmation is valid for "
                        + SendConfirmations.LIFETIME.toMinutes() + " minutes and that time is up. Check the count below and confirm again.");
            }
            default -> {
            }
        }
        IssueService.Progress progress;
        try {
            progress = issues.sendManual(id, null, shown, context.username(), recipients, number.intValue());
        } catch (ProblemException e) {
            if (e.status() == 409 && "expectedRecipients".equals(field(e))) {
                return confirmSendPage(n, shown, 409, "Nothing was sent: the number of readers changed since you confirmed ("
                        + recipients + " then). Check the new count below and confirm again.");
            }
            Map<String, String> errors = "issueNumber".equals(field(e)) ? Map.of("sendForm", e.getMessage())
                    : prefixed("send", FieldErrors.of(e, "form"));
            return Response.status(e.status()).entity(page(n, new Actions("", "", shown), errors, null)).build();
        }
        return Response.seeOther(URI.create("/admin/newsletters/" + id + "?notice=sent&issue=" + progress.issue().number
                + "&readers=" + progress.total())).build();
    }

    // ---- one issue: its live row, its failures, pause, resume, cancel

    /** An issue's row, polled by htmx while the issue is going out; the row of an ended issue stops polling. */
    @GET
    @Path("/{id: \\d+}/issues/{issueId: \\d+}/row")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance issueRow(@PathParam("id") long id, @PathParam("issueId") long issueId) {
        return Templates.issueRow(chrome(), id, row(id, issueId));
    }

    /** The deliveries of an issue that failed for good or bounced, each with its last error. */
    @GET
    @Path("/{id: \\d+}/issues/{issueId: \\d+}/failures")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance failures(@PathParam("id") long id, @PathParam("issueId") long issueId) {
        IssueRow row = row(id, issueId);
        return Templates.failures(chrome(), newsletters.get(id), row, issues.failures(issueId, FAILURES), FAILURES);
    }

    private IssueRow row(long newsletterId, long issueId) {
        if (issues.get(issueId).newsletterId != newsletterId) {
            throw ProblemException.notFound("Issue " + issueId + " of newsletter " + newsletterId);
        }
        return IssueRow.of(issues.progress(issueId));
    }

    @POST
    @Path("/{id: \\d+}/issues/{issueId: \\d+}/{action: pause|resume}")
    @RolesAllowed(Roles.EDITOR)
    public Response issueAction(@PathParam("id") long id, @PathParam("issueId") long issueId, @PathParam("action") String action) {
        Newsletter n = newsletters.get(id);
        row(id, issueId);
        try {
            if ("pause".equals(action)) {
                issues.pause(issueId);
            } else {
                issues.resume(issueId);
            }
        } catch (ProblemException e) {
            return Response.status(e.status()).entity(page(n, Actions.EMPTY, Map.of("issues", e.getMessage()), null)).build();
        }
        assembler.clear();
        return Response.seeOther(URI.create("/admin/newsletters/" + id + "?notice=" + action + "d#issues")).build();
    }

    /** The confirmation of a cancel: the issue's subject, how many readers it goes to and how many would not get it. */
    @GET
    @Path("/{id: \\d+}/issues/{issueId: \\d+}/cancel")
    @RolesAllowed(Roles.EDITOR)
    public Response confirmCancel(@PathParam("id") long id, @PathParam("issueId") long issueId) {
        return confirmCancelPage(newsletters.get(id), row(id, issueId), 200, null);
    }

    private Response confirmCancelPage(Newsletter n, IssueRow row, int status, String problem) {
        if (!row.running()) {
            return Response.status(409).entity(page(n, Actions.EMPTY, Map.of("issues", "Issue #" + row.issue().number
                    + " has ended (" + row.issue().status + "): there is nothing left to cancel."), null)).build();
        }
        return Response.status(status).entity(Templates.confirmCancel(chrome(), n, row, confirmations.forCancel(row.issue(),
                row.total()), SendConfirmations.LIFETIME.toMinutes(), problem)).build();
    }

    /** Cancels an issue, only with a confirmation of this issue and its recipient count. */
    @POST
    @Path("/{id: \\d+}/issues/{issueId: \\d+}/cancel")
    @RolesAllowed(Roles.EDITOR)
    public Response cancel(@PathParam("id") long id, @PathParam("issueId") long issueId, @RestForm String expectedRecipients,
            @RestForm String confirmation) {
        Newsletter n = newsletters.get(id);
        IssueRow row = row(id, issueId);
        Long recipients = number(expectedRecipients);
        SendConfirmations.Check check = recipients == null ? SendConfirmations.Check.INVALID
                : confirmations.checkCancel(confirmation, row.issue(), recipients);
        if (check != SendConfirmations.Check.VALID) {
            return confirmCancelPage(n, row, check == SendConfirmations.Check.EXPIRED ? 409 : 400, check == SendConfirmations.Check.EXPIRED
                    ? "Nothing was cancelled: the confirmation is valid for " + SendConfirmations.LIFETIME.toMinutes()
                            + " minutes and that time is up. Confirm again below."
                    : "Nothing was cancelled: cancelling needs your confirmation of the issue and its readers. Check them below.");
        }
        try {
            issues.cancel(issueId);
        } catch (ProblemException e) {
            return Response.status(e.status()).entity(page(n, Actions.EMPTY, Map.of("issues", e.getMessage()), null)).build();
        }
        assembler.clear();
        return Response.seeOther(URI.create("/admin/newsletters/" + id + "?notice=cancelled#issues")).build();
    }

    // ---- helpers

    /** A whole number typed or carried in a form; null when it is not one. */
    private static Long number(String value) {
        if (value == null || !value.strip().matches("\\d{1,18}")) {
            return null;
        }
        return Long.valueOf(value.strip());
    }

    private static String field(ProblemException e) {
        return e.violations() == null || e.violations().isEmpty() ? null : e.violations().get(0).field();
    }

    private static Map<String, String> prefixed(String prefix, Map<String, String> errors) {
        Map<String, String> out = new LinkedHashMap<>();
        errors.forEach((k, v) -> out.put(prefix + Character.toUpperCase(k.charAt(0)) + k.substring(1), v));
        return out;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
