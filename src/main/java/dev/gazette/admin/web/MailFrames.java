package dev.gazette.admin.web;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import dev.gazette.common.security.Roles;
import dev.gazette.common.web.SecurityHeaders;
import dev.gazette.digest.DigestPreview;

/**
 * The HTML of a mail, exactly as sent, for the editor UI's preview frames. Served from its own path with its own
 * policy ({@link SecurityHeaders#MAIL_FRAME_POLICY}): the mail's inline styles apply, while the editor pages around
 * it keep a policy that allows nothing inline, and the document is sandboxed even when opened directly.
 */
@Path("/admin/frames")
public class MailFrames {

    private final DigestPreview preview;
    private final OutboxPages outbox;

    MailFrames(DigestPreview preview, OutboxPages outbox) {
        this.preview = preview;
        this.outbox = outbox;
    }

    /** The digest preview of the newsletter's page: a generic digest, or reader {@code subscriberId}'s next one. */
    @GET
    @Path("/newsletters/{id: \\d+}")
    @RolesAllowed(Roles.EDITOR)
    public Response digest(@PathParam("id") long id, @QueryParam("subscriberId") Long subscriberId) {
        return framed(preview.render(id, subscriberId).html());
    }

    /** The HTML part of a mail in the outbox. */
    @GET
    @Path("/outbox/{name}")
    @RolesAllowed(Roles.EDITOR)
    public Response outboxMail(@PathParam("name") String name) {
        String html = outbox.parts(name)[0];
        return framed(html == null ? "" : html);
    }

    /** Before the mail's first tag after these, or at the very start: where {@code <base>} goes without quirks mode. */
    private static final java.util.regex.Pattern HEAD = java.util.regex.Pattern.compile(
            "\\A(\\s*(<!--.*?-->\\s*)*(<!doctype[^>]*>)?\\s*(<html[^>]*>)?\\s*(<head[^>]*>)?)",
            java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.DOTALL);

    /**
     * The mail with its links and buttons opening in a new tab: in the frame they would load the target inside the
     * sandbox, where sites refuse to be framed. The new tab escapes the sandbox (allow-popups-to-escape-sandbox) but
     * the frame itself keeps a unique origin and runs nothing, so it still cannot reach the editor's pages.
     */
    static String linksInNewTab(String html) {
        java.util.regex.Matcher m = HEAD.matcher(html);
        int at = m.lookingAt() ? m.end() : 0;
        return html.substring(0, at) + "<base target=\"_blank\">" + html.substring(at);
    }

    private static Response framed(String html) {
        return Response.ok(linksInNewTab(html), "text/html;charset=UTF-8")
                .header(SecurityHeaders.CSP, SecurityHeaders.MAIL_FRAME_POLICY)
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "private, no-store")
                .build();
    }
}
