package dev.gazette.admin.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
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
import jakarta.ws.rs.core.StreamingOutput;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import dev.gazette.article.Topic;
import dev.gazette.article.TopicService;
import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import dev.gazette.subscriber.PrivacyService;
import dev.gazette.subscriber.Subscriber;
import dev.gazette.subscriber.SubscriberDirectory;
import dev.gazette.subscriber.SubscriberEvent;
import dev.gazette.subscriber.SubscriberStatus;
import dev.gazette.subscriber.Suppression;
import dev.gazette.subscriber.SuppressionReason;
import dev.gazette.subscriber.SuppressionService;
import dev.gazette.subscriber.transfer.ExportService;
import dev.gazette.subscriber.transfer.ImportService;
import dev.gazette.subscriber.transfer.SubscriberImport;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The Subscribers section of the editor UI: search and counts, one reader with their history (suppress, lift,
 * privacy export, erase), CSV import with live progress and its per-row report, and CSV export. Everything goes
 * through the services the subscriber API uses; the downloads have their own routes here because a browser's
 * download cannot send the API's Bearer token.
 */
@Path("/admin/subscribers")
@Produces(MediaType.TEXT_HTML)
public class SubscriberPages {

    static final String SECTION = "subscribers";
    static final int PAGE = 50;
    static final int MAX_PAGE = 500;
    /** Rows of an import's report shown on its page; the CSV download has them all. */
    static final int REPORT_ROWS = 200;
    /** The reasons an editor may suppress an address for, as the suppression API allows. */
    static final List<SuppressionReason> EDITOR_REASONS = Arrays.stream(SuppressionReason.values())
            .filter(SuppressionReason::needsEditor).toList();

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance search(AdminChrome chrome, Map<String, Long> counts, List<Subscriber> subscribers,
                SearchForm form, String nextPage, String firstPage, List<Topic> topics, List<SubscriberStatus> statuses,
                String notice);

        static native TemplateInstance subscriber(AdminChrome chrome, Subscriber s, List<SubscriberEvent> history,
                Suppression suppression, List<SuppressionReason> reasons, Map<String, String> errors, String reason,
                String note, String notice);

        static native TemplateInstance erase(AdminChrome chrome, Subscriber s, String error);

        static native TemplateInstance imports(AdminChrome chrome, List<ImportRow> recent, Map<String, String> errors,
                boolean dryRun);

        static native TemplateInstance importPage(AdminChrome chrome, ImportRow imp, List<ReportRow> report);

        static native TemplateInstance importPage$progress(ImportRow imp, List<ReportRow> report);
    }

    /** The search as typed, kept in the form and in the paging links. */
    public record SearchForm(String email, String status, String topic, String source, int limit) {

        String query(Long after) {
            StringBuilder q = new StringBuilder();
            append(q, "email", email);
            append(q, "status", status);
            append(q, "topic", topic);
            append(q, "source", source);
            if (limit != PAGE) {
                append(q, "limit", String.valueOf(limit));
            }
            if (after != null) {
                append(q, "after", after.toString());
            }
            return "/admin/subscribers" + (q.isEmpty() ? "" : "?" + q);
        }

        private static void append(StringBuilder q, String name, String value) {
            if (value != null && !value.isEmpty()) {
                q.append(q.isEmpty() ? "" : "&").append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
    }

    /** An import with its progress, as the API's import view computes it. */
    public record ImportRow(SubscriberImport imp, int percent, boolean running, boolean failed) {

        static ImportRow of(SubscriberImport i) {
            int percent = i.status == SubscriberImport.Status.DONE ? 100
                    : i.rowsTotal == null || i.rowsTotal == 0 ? 0 : Math.min(99, (int) (100L * i.rowsDone / i.rowsTotal));
            return new ImportRow(i, percent, i.status == SubscriberImport.Status.RUNNING,
                    i.status == SubscriberImport.Status.FAILED);
        }
    }

    /** One row of an import's report. */
    public record ReportRow(int row, String email, String reason) {
    }

    private final AdminContext context;
    private final SubscriberDirectory directory;
    private final SuppressionService suppressions;
    private final ImportService imports;
    private final ExportService exports;
    private final TopicService topics;
    private final PrivacyService privacy;

    SubscriberPages(AdminContext context, SubscriberDirectory directory, PrivacyService privacy,
            SuppressionService suppressions, ImportService imports, ExportService exports, TopicService topics) {
        this.context = context;
        this.directory = directory;
        this.privacy = privacy;
        this.suppressions = suppressions;
        this.imports = imports;
        this.exports = exports;
        this.topics = topics;
    }

    private AdminChrome chrome() {
        return context.chrome(SECTION);
    }

    // ---- search

    @GET
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance search(@QueryParam("email") String email, @QueryParam("status") String status,
            @QueryParam("topic") String topic, @QueryParam("source") String source, @QueryParam("after") String after,
            @QueryParam("limit") String limit, @QueryParam("notice") String notice) {
        SubscriberStatus wanted = parse(SubscriberStatus.class, status);
        int size = Math.max(1, Math.min(MAX_PAGE, parseLong(limit, (long) PAGE).intValue()));
        Long cursor = parseLong(after, null);
        SearchForm form = new SearchForm(trimmed(email, 320), wanted == null ? "" : wanted.name(), trimmed(topic, 100),
                trimmed(source, 100), size);
        SubscriberDirectory.Page page = directory.search(new SubscriberDirectory.Filter(form.email(), wanted,
                form.topic().isEmpty() ? null : form.topic(), form.source()), cursor, size);
        @SuppressWarnings("unchecked")
        Map<String, Long> byStatus = (Map<String, Long>) directory.counts().get("byStatus");
        return Templates.search(chrome(), byStatus, page.items(), form,
                page.nextCursor() == null ? null : form.query(page.nextCursor()), cursor == null ? null : form.query(null),
                topics.list(), Arrays.asList(SubscriberStatus.values()), "erased".equals(notice)
                        ? "The reader was erased: their personal data and history are deleted, and a keyed hash of the address stays on the suppression list."
                        : null);
    }

    // ---- one reader

    @GET
    @Path("/{id: \\d+}")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance subscriber(@PathParam("id") long id, @QueryParam("notice") String notice) {
        return subscriberPage(find(id), Map.of(), null, null, noticeText(notice));
    }

    private TemplateInstance subscriberPage(Subscriber s, Map<String, String> errors, String reason, String note, String notice) {
        return Templates.subscriber(chrome(), s, directory.history(s.id), suppressions.find(s.emailKey).orElse(null),
                EDITOR_REASONS, errors, reason == null ? "" : reason, note == null ? "" : note, notice);
    }

    private static String noticeText(String notice) {
        if (notice == null) {
            return null;
        }
        return switch (notice) {
            case "suppressed" -> "The address is suppressed: it gets no more mail.";
            case "lifted" -> "The suppression is lifted.";
            default -> null;
        };
    }

    private Subscriber find(long id) {
        return directory.find(id).orElseThrow(() -> ProblemException.notFound("Subscriber " + id));
    }

    /** Everything stored about the reader, as the API's privacy export gives it, as a download. */
    @GET
    @Path("/{id: \\d+}/export.json")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.EDITOR)
    public Response privacyExport(@PathParam("id") long id) {
        PrivacyService.Export data = privacy.export(id);
        return Response.ok(data, MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8"))
                .header("Content-Disposition", "attachment; filename=\"subscriber-" + id + ".json\"")
                .header("Cache-Control", "private, no-store").build();
    }

    /** Suppresses the reader's address, for the reasons the suppression API accepts. */
    @POST
    @Path("/{id: \\d+}/suppress")
    @RolesAllowed(Roles.EDITOR)
    public Response suppress(@PathParam("id") long id, @RestForm String reason, @RestForm String note) {
        Subscriber s = find(id);
        Map<String, String> errors = new HashMap<>();
        SuppressionReason wanted = parse(SuppressionReason.class, reason);
        if (wanted == null || !wanted.needsEditor()) {
            errors.put("reason", "choose blocked, hard bounce or complaint");
        }
        String cleanNote = note == null || note.isBlank() ? null : note.strip();
        if (cleanNote != null && cleanNote.length() > 500) {
            errors.put("note", "must be at most 500 characters");
        }
        if (!errors.isEmpty()) {
            return Response.status(400).entity(subscriberPage(s, errors, reason, note, null)).build();
        }
        suppressions.suppress(s.email, wanted, cleanNote);
        return Response.seeOther(URI.create("/admin/subscribers/" + id + "?notice=suppressed")).build();
    }

    /** Lifts a bounce, complaint or block; an unsubscribe is refused as the API refuses it. */
    @POST
    @Path("/{id: \\d+}/unsuppress")
    @RolesAllowed(Roles.EDITOR)
    public Response unsuppress(@PathParam("id") long id) {
        Subscriber s = find(id);
        Optional<Suppression> suppression = suppressions.find(s.emailKey);
        if (suppression.isEmpty()) {
            return Response.status(409).entity(subscriberPage(s, Map.of("lift", "The address is not suppressed."), null, null,
                    null)).build();
        }
        try {
            suppressions.lift(suppression.get().id);
        } catch (ProblemException e) {
            return Response.status(e.status()).entity(subscriberPage(s, Map.of("lift", e.getMessage()), null, null, null))
                    .build();
        }
        return Response.seeOther(URI.create("/admin/subscribers/" + id + "?notice=lifted")).build();
    }

    @GET
    @Path("/{id: \\d+}/erase")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance eraseConfirmation(@PathParam("id") long id) {
        return Templates.erase(chrome(), find(id), null);
    }

    /** Erases the reader as the API does, only once the editor ticked that they understand. */
    @POST
    @Path("/{id: \\d+}/erase")
    @RolesAllowed(Roles.EDITOR)
    public Response erase(@PathParam("id") long id, @RestForm String confirm) {
        Subscriber s = find(id);
        if (!"yes".equals(confirm)) {
            return Response.status(400).entity(Templates.erase(chrome(), s,
                    "Tick \"I understand\" to confirm: erasing cannot be undone.")).build();
        }
        privacy.erase(id);
        return Response.seeOther(URI.create("/admin/subscribers?notice=erased")).build();
    }

    // ---- export

    /** Readers as CSV (formula-safe cells), through the API's export service. */
    @GET
    @Path("/export.csv")
    @Produces("text/csv")
    @RolesAllowed(Roles.EDITOR)
    public Response export(@QueryParam("status") String status) {
        SubscriberStatus wanted = parse(SubscriberStatus.class, status);
        StreamingOutput stream = out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            exports.write(wanted, writer);
        };
        return Response.ok(stream, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"subscribers"
                        + (wanted == null ? "" : "-" + wanted.name().toLowerCase()) + ".csv\"")
                .header("Cache-Control", "private, no-store").build();
    }

    // ---- import

    @GET
    @Path("/imports")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance importForm() {
        return Templates.imports(chrome(), recentImports(), Map.of(), false);
    }

    private List<ImportRow> recentImports() {
        return SubscriberImport.<SubscriberImport> findAll(Sort.descending("id")).page(0, 20).list().stream()
                .map(ImportRow::of).toList();
    }

    /** Starts an import of the uploaded file through the import service, then shows its progress. */
    @POST
    @Path("/imports")
    @RolesAllowed(Roles.EDITOR)
    public Response startImport(@RestForm("file") FileUpload file, @RestForm("dryRun") String dryRun) {
        boolean dry = dryRun != null && !dryRun.isBlank() && !"false".equals(dryRun);
        if (file == null || file.fileName() == null || file.fileName().isBlank()) {
            return Response.status(400).entity(Templates.imports(chrome(), recentImports(),
                    Map.of("file", "choose a CSV file"), dry)).build();
        }
        SubscriberImport started;
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            started = imports.start(in, file.fileName(), dry, context.username());
        } catch (ProblemException e) {
            String message = e.violations() == null || e.violations().isEmpty() ? e.getMessage()
                    : e.violations().get(0).message();
            if (message.equals("is empty")) {
                message = "The file is empty.";
            }
            return Response.status(e.status()).entity(Templates.imports(chrome(), recentImports(), Map.of("file", message), dry))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Response.seeOther(URI.create("/admin/subscribers/imports/" + started.id)).build();
    }

    @GET
    @Path("/imports/{id}")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance importPage(@PathParam("id") long id) {
        ImportRow row = importRow(id);
        return Templates.importPage(chrome(), row, report(row));
    }

    /** The progress part of an import's page, polled by htmx every second while the import runs. */
    @GET
    @Path("/imports/{id}/progress")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance importProgress(@PathParam("id") long id) {
        ImportRow row = importRow(id);
        return Templates.importPage$progress(row, report(row));
    }

    @GET
    @Path("/imports/{id}/report.csv")
    @Produces("text/csv")
    @RolesAllowed(Roles.EDITOR)
    public Response importReport(@PathParam("id") long id) {
        importRow(id);
        StreamingOutput stream = out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            imports.writeReport(id, writer);
        };
        return Response.ok(stream, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"import-" + id + "-report.csv\"")
                .header("Cache-Control", "private, no-store").build();
    }

    private ImportRow importRow(long id) {
        // A new transaction each time, as the API reads it: the import's own thread commits progress meanwhile.
        return QuarkusTransaction.requiringNew().call(() -> SubscriberImport.<SubscriberImport> findByIdOptional(id))
                .map(ImportRow::of).orElseThrow(() -> ProblemException.notFound("Import " + id));
    }

    /** The first rows of a finished import's report (the download has every row). */
    private List<ReportRow> report(ImportRow row) {
        if (row.running()) {
            return List.of();
        }
        return imports.reportLines(row.imp().id, REPORT_ROWS).stream()
                .map(l -> new ReportRow(l.row(), l.email(), l.reason())).toList();
    }

    // ---- helpers

    private static <E extends Enum<E>> E parse(Class<E> type, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Long parseLong(String value, Long otherwise) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return Long.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static String trimmed(String value, int max) {
        if (value == null) {
            return "";
        }
        String v = value.strip();
        return v.length() <= max ? v : v.substring(0, max);
    }
}
