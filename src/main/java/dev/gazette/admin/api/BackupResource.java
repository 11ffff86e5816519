package dev.gazette.admin.api;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.gazette.common.backup.BackupService;
import dev.gazette.common.security.Roles;

/**
 * Backups of the embedded database, on demand and as scheduled. Administrators only.
 */
@Path("/api/v1/backups")
@Tag(name = "Backups")
@SecurityRequirement(name = "apiToken")
@RolesAllowed(Roles.ADMIN)
public class BackupResource {

    private final BackupService backups;

    BackupResource(BackupService backups) {
        this.backups = backups;
    }

    /** A backup folder on the server. */
    public record BackupView(String name, Instant createdAt, long sizeBytes, String folder) {

        static BackupView of(BackupService.Backup b) {
            return new BackupView(b.name(), b.createdAt(), b.sizeBytes(), b.folder().toString());
        }
    }

    @GET
    @Operation(summary = "List backups", description = "Newest first, from <data dir>/backups.")
    public List<BackupView> list() {
        return backups.list().stream().map(BackupView::of).toList();
    }

    @POST
    @Operation(summary = "Back up now", description = "Backs up the embedded database and the secrets while Gazette runs, "
            + "then deletes the oldest backups beyond gazette.backup.keep. Answers when the backup is complete; 409 for "
            + "an external database or while another backup runs.")
    public Response create() {
        BackupView made = BackupView.of(backups.backup());
        return Response.created(URI.create("/api/v1/backups")).entity(made).build();
    }
}
