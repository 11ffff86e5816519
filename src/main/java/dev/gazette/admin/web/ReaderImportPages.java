package dev.gazette.admin.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import dev.gazette.subscriber.transfer.ImportReports;
import dev.gazette.subscriber.transfer.ImportService;
import dev.gazette.subscriber.transfer.SubscriberImport;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * CSV imports of readers in the editor UI: the upload form with the recent imports, and each import's page with live
 * progress, then its counts, the topics its file named that did not exist, and its per-row report.
 */
@Path("/admin/subscribers/imports")
@Produces(MediaType.TEXT_HTML)
public class ReaderImportPages {

    /** Rows of an import's report shown on its page; the CSV download has them all. */
    static final int REPORT_ROWS = 200;
    /** Imports listed under the form. */
    static final int RECENT = 20;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance imports(AdminChrome chrome, List<ImportRow> recent, long total,
                Map<String, String> errors, boolean dryRun, boolean createTopics);

        static native TemplateInstance importPage(AdminChrome chrome, ImportRow imp, List<ImportReports.ReportLine> report,
                List<ImportReports.UnknownTopic> unknownTopics);

        static native TemplateInstance importPage$progress(ImportRow imp, List<ImportReports.ReportLine> report,
                List<ImportReports.UnknownTopic> unknownTopics);
    }

    /** An import with its progress, as the API's import view computes it. */
    public record ImportRow(SubscriberImport imp, int percent, boolean running, boolean failed) {

        static ImportRow of(SubscriberImport i) {
            int percent = i.status == SubscriberImport.Status.DONE ? 100
                    : i.rowsTotal == null || i.rowsTotal == 0 ? 0 : Math.min(99, (int) (100L * i.rowsDone / i.rowsTotal));
            return new ImportRow(i, percent, i.status == SubscriberImport.Status.RUNNING,
                    i.status == SubscriberImport.Status.FAILED);
        }

        /** Rows the report lists: suppressed and invalid ones. */
        public int notImported() {
            return imp.skippedCount + imp.invalidCount;
        }
    }

    private final AdminContext context;
    private final ImportService imports;
    private final ImportReports reports;

    ReaderImportPages(AdminContext context, ImportService imports, ImportReports reports) {
        this.context = context;
        this.imports = imports;
        this.reports = reports;
    }

    private AdminChrome chrome() {
        return context.chrome(SubscriberPages.SECTION);
    }

    @GET
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance importForm() {
        return form(Map.of(), false, false);
    }

    private TemplateInstance form(Map<String, String> errors, boolean dryRun, boolean createTopics) {
        ImportReports.Recent recent = reports.recent(RECENT);
        return Templates.imports(chrome(), recent.imports().stream().map(ImportRow::of).toList(), recent.total(), errors,
                dryRun, createTopics);
    }

    /** Starts an import of the uploaded file through the import service, then shows its progress. */
    @POST
    @RolesAllowed(Roles.EDITOR)
    public Response startImport(@RestForm("file") FileUpload file, @RestForm("dryRun") String dryRun,
            @RestForm("createTopics") String createTopics) {
        ImportService.Options options = new ImportService.Options(checked(dryRun), checked(createTopics));
        if (file == null || file.fileName() == null || file.fileName().isBlank()) {
            return Response.status(400).entity(form(Map.of("file", "choose a CSV file"), options.dryRun(),
                    options.createTopics())).build();
        }
        SubscriberImport started;
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            started = imports.start(in, file.fileName(), options, context.username());
        } catch (ProblemException e) {
            String message = e.violations() == null || e.violations().isEmpty() ? e.getMessage()
                    : e.violations().get(0).message();
            if (message.equals("is empty")) {
                message = "The file is empty.";
            }
            return Response.status(e.status()).entity(form(Map.of("file", message), options.dryRun(), options.createTopics()))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Response.seeOther(URI.create("/admin/subscribers/imports/" + started.id)).build();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance importPage(@PathParam("id") long id) {
        ImportRow row = importRow(id);
        return Templates.importPage(chrome(), row, report(row), unknownTopics(row));
    }

    /** The progress part of an import's page, polled by htmx every second while the import runs. */
    @GET
    @Path("/{id}/progress")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance importProgress(@PathParam("id") long id) {
        ImportRow row = importRow(id);
        return Templates.importPage$progress(row, report(row), unknownTopics(row));
    }

    @GET
    @Path("/{id}/report.csv")
    @Produces("text/csv")
    @RolesAllowed(Roles.EDITOR)
    public Response importReport(@PathParam("id") long id) {
        importRow(id);
        StreamingOutput stream = out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            reports.writeReport(id, writer);
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
    private List<ImportReports.ReportLine> report(ImportRow row) {
        return row.running() ? List.of() : reports.reportLines(row.imp().id, REPORT_ROWS);
    }

    private List<ImportReports.UnknownTopic> unknownTopics(ImportRow row) {
        return row.running() ? List.of() : reports.unknownTopics(row.imp().id);
    }

    private static boolean checked(String value) {
        return value != null && !value.isBlank() && !"false".equals(value);
    }
}
