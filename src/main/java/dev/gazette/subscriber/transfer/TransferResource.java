package dev.gazette.subscriber.transfer;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import dev.gazette.subscriber.SubscriberStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * CSV import and export of readers.
 */
@Path("/api/v1/subscribers")
@Tag(name = "Subscribers")
@SecurityRequirement(name = "apiToken")
@RolesAllowed(Roles.EDITOR)
public class TransferResource {

    private final ImportService imports;
    private final ImportReports reports;
    private final ExportService exports;
    private final SecurityIdentity identity;

    TransferResource(ImportService imports, ImportReports reports, ExportService exports, SecurityIdentity identity) {
        this.reports = reports;
        this.imports = imports;
        this.exports = exports;
        this.identity = identity;
    }

    /**
     * An import with its progress; once it is done, {@code unknownTopics} lists the topics its file named that did not
     * exist (with how many rows named each, and whether the import created it).
     */
    public record ImportView(long id, SubscriberImport.Status status, boolean dryRun, boolean createTopics, String fileName,
            Integer rowsTotal, int rowsDone, int percent, int created, int merged, int skipped, int invalid, String error,
            Instant startedAt, Instant finishedAt, String report, List<ImportReports.UnknownTopic> unknownTopics) {
        static ImportView of(SubscriberImport i, List<ImportReports.UnknownTopic> unknownTopics) {
            int percent = i.status == SubscriberImport.Status.DONE ? 100
                    : i.rowsTotal == null || i.rowsTotal == 0 ? 0 : Math.min(99, (int) (100L * i.rowsDone / i.rowsTotal));
            return new ImportView(i.id, i.status, i.dryRun, i.createTopics, i.fileName, i.rowsTotal, i.rowsDone, percent,
                    i.createdCount, i.mergedCount, i.skippedCount, i.invalidCount, i.error, i.startedAt, i.finishedAt,
                    "/api/v1/subscribers/imports/" + i.id + "/report", unknownTopics);
        }
    }

    @POST
    @Path("/imports")
    @Consumes({ "text/csv", MediaType.APPLICATION_OCTET_STREAM })
    @Operation(summary = "Import readers from CSV (request body)", description = "Columns are found by header name: email"
            + " (required), name, topics (slugs separated by ;), status (active or unsubscribed), subscribed at, source,"
            + " frequency (daily or weekly), time_zone (such as Europe/Paris). Topics that do not exist are reported, or"
            + " created with createTopics=true."
            + " Runs in the background: poll the returned import for progress, then download its per-row report."
            + " Suppressed addresses are never imported; known addresses are merged.")
    public Response importCsv(InputStream body, @QueryParam("dryRun") @DefaultValue("false") boolean dryRun,
            @Parameter(description = "Create the topics the file names that do not exist yet") @QueryParam("createTopics")
            @DefaultValue("false") boolean createTopics,
            @Parameter(description = "Name to show for the file") @QueryParam("fileName") String fileName,
            @Parameter(hidden = true) @HeaderParam("Content-Length") @DefaultValue("-1") long length) {
        SubscriberImport started = imports.start(body, length, fileName, new ImportService.Options(dryRun, createTopics),
                identity.getPrincipal().getName());
        return Response.accepted(ImportView.of(started, List.of())).location(URI.create("/api/v1/subscribers/imports/" + started.id)).build();
    }

    @POST
    @Path("/imports")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Import readers from CSV (file upload)", description = "The same as the CSV body variant, for"
            + " browsers: the file in the form field \"file\", dryRun and createTopics as form fields.")
    public Response importUpload(@RestForm("file") FileUpload file, @RestForm("dryRun") @DefaultValue("false") boolean dryRun,
            @RestForm("createTopics") @DefaultValue("false") boolean createTopics) {
        if (file == null) {
            throw ProblemException.invalid("file", "is required");
        }
        try (InputStream in = java.nio.file.Files.newInputStream(file.uploadedFile())) {
            SubscriberImport started = imports.start(in, file.fileName(), new ImportService.Options(dryRun, createTopics),
                    identity.getPrincipal().getName());
            return Response.accepted(ImportView.of(started, List.of())).location(URI.create("/api/v1/subscribers/imports/" + started.id)).build();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @GET
    @Path("/imports/{id}")
    @Operation(summary = "An import's progress and outcome")
    public ImportView importStatus(@PathParam("id") long id) {
        return QuarkusTransaction.requiringNew().call(() -> SubscriberImport.<SubscriberImport> findByIdOptional(id))
                .map(i -> ImportView.of(i, i.status == SubscriberImport.Status.RUNNING ? List.of() : reports.unknownTopics(id)))
                .orElseThrow(() -> ProblemException.notFound("Import " + id));
    }

    @GET
    @Path("/imports/{id}/report")
    @Produces("text/csv")
    @Operation(summary = "Per-row report of an import: row number, address and why it was not imported")
    public Response report(@PathParam("id") long id) {
        importStatus(id);
        StreamingOutput stream = out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            reports.writeReport(id, writer);
        };
        return Response.ok(stream).header("Content-Disposition", "attachment; filename=\"import-" + id + "-report.csv\"").build();
    }

    @GET
    @Path("/export")
    @Produces("text/csv")
    @Operation(summary = "Export readers as CSV")
    public Response export(@QueryParam("status") SubscriberStatus status) {
        StreamingOutput stream = out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            exports.write(status, writer);
        };
        return Response.ok(stream).header("Content-Disposition", "attachment; filename=\"subscribers.csv\"")
                .header("Cache-Control", "private, no-store").build();
    }
}
