package dev.gazette.admin.web;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.gazette.common.backup.BackupConfig;
import dev.gazette.common.backup.BackupService;
import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import io.quarkus.logging.Log;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Backups for administrators: the list, and a button that backs up now.
 */
@Path("/admin/backups")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.ADMIN)
public class BackupPages {

    /** A backup as listed. */
    public record Row(String name, Instant createdAt, long megabytes) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance backups(AdminChrome chrome, boolean available, String folder, int keep, List<Row> backups,
                String notice, boolean failed);
    }

    private final AdminContext context;
    private final BackupService backups;
    private final BackupConfig config;

    BackupPages(AdminContext context, BackupService backups, BackupConfig config) {
        this.context = context;
        this.backups = backups;
        this.config = config;
    }

    @GET
    public TemplateInstance page(@QueryParam("made") String made) {
        boolean named = made != null && made.matches("gazette-[0-9-]{1,30}");
        return page(named ? "Backup " + made + " is complete." : null, false);
    }

    private TemplateInstance page(String notice, boolean failed) {
        List<Row> rows = backups.list().stream()
                .map(b -> new Row(b.name(), b.createdAt(), Math.max(1, Math.round(b.sizeBytes() / 1_000_000.0)))).toList();
        return Templates.backups(context.chrome("backups"), backups.available(), backups.folder().toString(), config.keep(),
                rows, notice, failed);
    }

    @POST
    public Response backUp() {
        try {
            BackupService.Backup made = backups.backup();
            return Response.seeOther(URI.create("/admin/backups?made=" + made.name())).build();
        } catch (ProblemException e) {
            return Response.status(e.status()).entity(page(e.getMessage(), true)).build();
        } catch (IllegalStateException e) {
            Log.error("Backup from the editor UI failed", e);
            return Response.serverError().entity(page(e.getMessage(), true)).build();
        }
    }
}
