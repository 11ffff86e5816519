package dev.gazette.admin.web;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

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
import dev.gazette.fediverse.DomainBlock;
import dev.gazette.fediverse.DomainBlocks;
import dev.gazette.fediverse.Federation;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The fediverse domains the publication does not federate with: the list, a form to block one (its subdomains with it)
 * and Unblock. Administrators only, like users and backups: a block drops followers at once.
 */
@Path("/admin/fediverse/blocks")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.ADMIN)
public class FediverseBlockPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance blocks(AdminChrome chrome, List<DomainBlock> blocks, BlockForm form,
                Map<String, String> errors, String notice);
    }

    /** The form as typed. */
    public record BlockForm(String domain, String reason) {
    }

    private final AdminContext context;
    private final DomainBlocks blocks;
    private final Federation federation;

    FediverseBlockPages(AdminContext context, DomainBlocks blocks, Federation federation) {
        this.context = context;
        this.blocks = blocks;
        this.federation = federation;
    }

    @GET
    public Response list(@QueryParam("notice") String notice, @QueryParam("domain") String domain) {
        if (!federation.enabled()) {
            return Response.ok(FediverseReplyPages.Templates.off(context.chrome("channels"))).build();
        }
        return Response.ok(page(new BlockForm("", ""), Map.of(), noticeText(notice, domain))).build();
    }

    @POST
    public Response block(@RestForm String domain, @RestForm String reason) {
        federation.requireEnabled();
        try {
            DomainBlock block = blocks.block(domain, reason, context.username());
            return back("blocked", block.domain());
        } catch (ProblemException e) {
            return Response.status(e.status()).entity(page(new BlockForm(domain, reason), FieldErrors.of(e, "form"), null))
                    .build();
        }
    }

    @POST
    @Path("/remove")
    public Response unblock(@RestForm String domain) {
        federation.requireEnabled();
        if (!blocks.unblock(domain)) {
            throw ProblemException.notFound("The block of " + domain);
        }
        return back("unblocked", domain);
    }

    private TemplateInstance page(BlockForm form, Map<String, String> errors, String notice) {
        return Templates.blocks(context.chrome("channels"), blocks.list(), form, errors, notice);
    }

    private static Response back(String notice, String domain) {
        return Response.seeOther(URI.create("/admin/fediverse/blocks?notice=" + notice + "&domain="
                + URLEncoder.encode(domain, StandardCharsets.UTF_8))).build();
    }

    private static String noticeText(String notice, String domain) {
        if (notice == null || domain == null) {
            return null;
        }
        return switch (notice) {
            case "blocked" -> domain + " is blocked, with its subdomains: its followers and its replies waiting for"
                    + " moderation were removed.";
            case "unblocked" -> domain + " is no longer blocked: its servers can follow the publication again.";
            default -> null;
        };
    }
}
