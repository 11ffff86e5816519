package dev.gazette.admin.web;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import dev.gazette.fediverse.Federation;
import dev.gazette.fediverse.Replies;
import dev.gazette.fediverse.Reply;
import dev.gazette.fediverse.ReplyStatus;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Moderation of the replies the publication's articles get from the fediverse: pending, approved and rejected ones,
 * each with Approve, Reject and Delete. Only an approved reply is shown under its article.
 */
@Path("/admin/fediverse/replies")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.EDITOR)
public class FediverseReplyPages {

    static final int PAGE_SIZE = 50;
    /** Pages past this are refused: 500,000 replies deep is a hand-edited link, not moderation. */
    static final int MAX_PAGE = 10_000;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance replies(AdminChrome chrome, ReplyStatus status, List<Reply> replies,
                Counts counts, String notice, String pageError, Integer newer, Integer older);

        static native TemplateInstance off(AdminChrome chrome);
    }

    /** How many replies each tab holds. */
    public record Counts(long pending, long approved, long rejected) {

        static Counts of(Map<ReplyStatus, Long> counts) {
            return new Counts(counts.getOrDefault(ReplyStatus.PENDING, 0L), counts.getOrDefault(ReplyStatus.APPROVED, 0L),
                    counts.getOrDefault(ReplyStatus.REJECTED, 0L));
        }
    }

    private final AdminContext context;
    private final Replies replies;
    private final Federation federation;

    FediverseReplyPages(AdminContext context, Replies replies, Federation federation) {
        this.context = context;
        this.replies = replies;
        this.federation = federation;
    }

    @GET
    public Response list(@QueryParam("status") String status, @QueryParam("page") String page,
            @QueryParam("notice") String notice) {
        if (!federation.enabled()) {
            return Response.ok(Templates.off(context.chrome("channels"))).build();
        }
        ReplyStatus shown = status(status);
        // a page that is not a whole number from 0 (a hand-edited link) is answered 400 with the first page and why
        Integer asked = pageNumber(page);
        int current = asked == null ? 0 : asked;
        // one more than a page tells whether there is a next one
        List<Reply> found = replies.list(shown, current * PAGE_SIZE, PAGE_SIZE + 1);
        return Response.status(asked == null ? 400 : 200).entity(Templates.replies(context.chrome("channels"), shown,
                found.subList(0, Math.min(PAGE_SIZE, found.size())), Counts.of(replies.counts()), noticeText(notice),
                asked == null ? "must be a whole number from 0 to " + MAX_PAGE : null, current > 0 ? current - 1 : null,
                found.size() > PAGE_SIZE ? current + 1 : null)).build();
    }

    /** The page asked for, from 0; null when it is not a whole number from 0 to {@link #MAX_PAGE}. */
    private static Integer pageNumber(String page) {
        if (page == null || page.isBlank()) {
            return 0;
        }
        try {
            int n = Integer.parseInt(page.strip());
            return n >= 0 && n <= MAX_PAGE ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @POST
    @Path("/{id}/approve")
    public Response approve(@PathParam("id") long id, @QueryParam("status") String from) {
        return moderate(id, ReplyStatus.APPROVED, from);
    }

    @POST
    @Path("/{id}/reject")
    public Response reject(@PathParam("id") long id, @QueryParam("status") String from) {
        return moderate(id, ReplyStatus.REJECTED, from);
    }

    @POST
    @Path("/{id}/delete")
    public Response delete(@PathParam("id") long id, @QueryParam("status") String from) {
        federation.requireEnabled();
        if (!replies.delete(id)) {
            throw ProblemException.notFound("Reply " + id);
        }
        return back(from, "deleted");
    }

    private Response moderate(long id, ReplyStatus status, String from) {
        federation.requireEnabled();
        replies.moderate(id, status, context.username());
        return back(from, status.name().toLowerCase(Locale.ROOT));
    }

    private static Response back(String from, String notice) {
        return Response.seeOther(URI.create("/admin/fediverse/replies?status=" + status(from).name() + "&notice=" + notice))
                .build();
    }

    /** The status a list shows: pending unless the query names another (anything unknown shows pending). */
    private static ReplyStatus status(String value) {
        for (ReplyStatus s : ReplyStatus.values()) {
            if (s.name().equalsIgnoreCase(value)) {
                return s;
            }
        }
        return ReplyStatus.PENDING;
    }

    private static String noticeText(String notice) {
        if (notice == null) {
            return null;
        }
        return switch (notice) {
            case "approved" -> "Reply approved: it now shows under its article.";
            case "rejected" -> "Reply rejected: it is not shown.";
            case "deleted" -> "Reply deleted.";
            default -> null;
        };
    }
}
