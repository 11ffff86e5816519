package dev.gazette.admin.web;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.gazette.common.security.Roles;
import dev.gazette.fediverse.ActorKeys;
import dev.gazette.fediverse.Federation;
import dev.gazette.fediverse.delivery.KeyRotation;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The publication's fediverse signing key, for administrators: the current key and the retired ones, and a rotation
 * behind a confirmation that names the key being replaced, so a second click (or a second administrator) does not
 * rotate twice.
 */
@Path("/admin/fediverse/key")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.ADMIN)
public class FediverseKeyPages {

    private static final String KEY_NAME = "(main-key|key-[0-9]{1,6})";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance key(AdminChrome chrome, boolean enabled, ActorKeys.KeyRecord current,
                List<ActorKeys.KeyRecord> retired, String notice, boolean failed);

        static native TemplateInstance confirm(AdminChrome chrome, ActorKeys.KeyRecord current, int inboxes);
    }

    private final AdminContext context;
    private final ActorKeys keys;
    private final KeyRotation rotation;
    private final Federation federation;

    FediverseKeyPages(AdminContext context, ActorKeys keys, KeyRotation rotation, Federation federation) {
        this.context = context;
        this.keys = keys;
        this.rotation = rotation;
        this.federation = federation;
    }

    @GET
    public TemplateInstance page(@QueryParam("rotated") String rotated, @QueryParam("inboxes") Integer inboxes) {
        String notice = rotated != null && rotated.matches(KEY_NAME) && inboxes != null && inboxes >= 0
                ? "The new key " + rotated + " is in use. Its announcement (an Update of the account) goes to " + inboxes
                        + (inboxes == 1 ? " inbox." : " inboxes.")
                : null;
        return page(notice, false);
    }

    private TemplateInstance page(String notice, boolean failed) {
        List<ActorKeys.KeyRecord> all = federation.enabled() ? keys.history(ActorKeys.PUBLICATION) : List.of();
        ActorKeys.KeyRecord current = all.stream().filter(k -> k.retiredAt() == null).findFirst().orElse(null);
        return Templates.key(context.chrome("fediverse"), federation.enabled(), current,
                all.stream().filter(k -> k.retiredAt() != null).toList(), notice, failed);
    }

    @GET
    @Path("/rotate")
    public TemplateInstance confirm() {
        federation.requireEnabled();
        keys.current(ActorKeys.PUBLICATION);
        ActorKeys.KeyRecord current = keys.history(ActorKeys.PUBLICATION).stream().filter(k -> k.retiredAt() == null)
                .findFirst().orElseThrow();
        return Templates.confirm(context.chrome("fediverse"), current, rotation.inboxes());
    }

    @POST
    @Path("/rotate")
    public Response rotate(@FormParam("current") String current) {
        federation.requireEnabled();
        String now = keys.current(ActorKeys.PUBLICATION).keyName();
        if (!now.equals(current)) {
            return Response.status(409).entity(page("The key was rotated in the meantime (it is now " + now
                    + "); nothing was changed.", true)).build();
        }
        // the key this page showed is the one replaced: a rotation that committed since, after the check above,
        // makes this one retire nothing (two administrators pressing at once make one new key, not two)
        Optional<KeyRotation.Rotated> rotated = rotation.rotate(context.username(), current);
        if (rotated.isEmpty()) {
            return Response.status(409).entity(page("Another rotation finished first; nothing was changed.", true)).build();
        }
        return Response.seeOther(URI.create("/admin/fediverse/key?rotated=" + rotated.get().keyName() + "&inboxes="
                + rotated.get().inboxes())).build();
    }
}
