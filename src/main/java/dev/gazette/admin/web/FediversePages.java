package dev.gazette.admin.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.gazette.common.security.Roles;
import dev.gazette.fediverse.Federation;
import dev.gazette.fediverse.FediverseOverview;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The fediverse channel's page: the publication's account (handle, addresses, how to follow it), its followers paged
 * and filtered by host, and how the delivery of articles to their servers is going. With federation off, the page
 * explains how to turn it on instead. Reached from Channels, so it belongs to that section.
 */
@Path("/admin/fediverse")
@Produces(MediaType.TEXT_HTML)
public class FediversePages {

    static final int MAX_FILTER = 255;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance overview(AdminChrome chrome, Account account, String host, String filter,
                Map<String, String> errors, FediverseOverview.Page overview, String previousPage, String nextPage);

        static native TemplateInstance off(AdminChrome chrome);
    }

    /** The account as other servers know it. */
    public record Account(String handle, String profileUrl, String actorUrl) {
    }

    private final AdminContext context;
    private final Federation federation;
    private final FediverseOverview overview;

    FediversePages(AdminContext context, Federation federation, FediverseOverview overview) {
        this.context = context;
        this.federation = federation;
        this.overview = overview;
    }

    @GET
    @RolesAllowed(Roles.EDITOR)
    public Response page(@QueryParam("host") String host, @QueryParam("page") String page) {
        AdminChrome chrome = context.chrome("channels");
        if (!federation.enabled()) {
            return Response.ok(Templates.off(chrome)).build();
        }
        String filter = host == null ? "" : host.strip();
        Integer number = pageNumber(page);
        Map<String, String> errors = new LinkedHashMap<>();
        if (filter.length() > MAX_FILTER) {
            errors.put("host", "must be at most " + MAX_FILTER + " characters");
        }
        if (number == null) {
            errors.put("page", "must be a whole number from 1");
        }
        // a bad filter shows every follower, a bad page the first one, with the message
        String shown = filter;
        if (errors.containsKey("host")) {
            filter = "";
        }
        if (number == null) {
            number = 1;
        }
        FediverseOverview.Page shownPage = overview.page(filter, number);
        FediverseOverview.FollowerPage list = shownPage.followers();
        Account account = new Account(handle(federation), federation.profileUrl(), federation.actorId());
        TemplateInstance body = Templates.overview(chrome, account, shown, filter, errors, shownPage,
                list.hasPrevious() ? link(filter, list.page() - 1) : null, list.hasNext() ? link(filter, list.page() + 1) : null);
        return Response.status(errors.isEmpty() ? 200 : 400).entity(body).build();
    }

    /** The account as people type it in a fediverse client's search: {@code @news@news.example.org}. */
    static String handle(Federation federation) {
        return "@" + federation.account() + "@" + federation.authority();
    }

    private static Integer pageNumber(String page) {
        if (page == null || page.isBlank()) {
            return 1;
        }
        try {
            int n = Integer.parseInt(page.strip());
            return n >= 1 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String link(String host, int page) {
        String query = host.isEmpty() ? "" : "host=" + URLEncoder.encode(host, StandardCharsets.UTF_8) + "&";
        return "/admin/fediverse?" + query + "page=" + page + "#followers";
    }
}
