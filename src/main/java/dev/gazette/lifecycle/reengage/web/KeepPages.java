package dev.gazette.lifecycle.reengage.web;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.gazette.common.web.Site;
import dev.gazette.common.web.SiteChrome;
import dev.gazette.lifecycle.reengage.KeepAnswers;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The "keep me subscribed" link of a re-engagement mail. Mail scanners follow links, so GET only shows a button; the
 * POST answers. Like the unsubscribe link, the signed token alone decides (no cookie, no CSRF token): answering for
 * someone else keeps them subscribed, nothing more.
 */
@Path("/keep")
@Produces(MediaType.TEXT_HTML + ";charset=UTF-8")
public class KeepPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance keep(Site site, String action);

        static native TemplateInstance notice(Site site, String title, String text, String linkUrl, String linkLabel);
    }

    private final KeepAnswers answers;
    private final SiteChrome chrome;

    KeepPages(KeepAnswers answers, SiteChrome chrome) {
        this.answers = answers;
        this.chrome = chrome;
    }

    @GET
    @Path("{token}")
    public Response page(@PathParam("token") String token) {
        KeepAnswers.State state = answers.check(token);
        if (state != KeepAnswers.State.VALID) {
            return problem(state);
        }
        return Response.ok(Templates.keep(chrome.site(), "/keep/" + token)).header("Cache-Control", "private, no-store").build();
    }

    @POST
    @Path("{token}")
    @Consumes(MediaType.WILDCARD)
    public Response keep(@PathParam("token") String token) {
        KeepAnswers.State state = answers.keep(token);
        if (state != KeepAnswers.State.VALID) {
            return problem(state);
        }
        return notice(200, "Thank you", "You stay subscribed to " + chrome.site().name()
                + ". You will keep getting our newsletters as before.", "/", "Go to the front page");
    }

    private Response problem(KeepAnswers.State state) {
        return switch (state) {
            case EXPIRED -> notice(410, "This link has expired", "Use the link in a more recent email from us.", "/",
                    "Go to the front page");
            case GONE -> notice(404, "Subscription not found", "This subscription no longer exists.", "/subscribe",
                    "Subscribe again");
            case NOT_SUBSCRIBED -> notice(410, "You are no longer subscribed",
                    "This address does not get our newsletters any more. You are welcome to subscribe again.", "/subscribe",
                    "Subscribe again");
            default -> notice(400, "This link is not valid",
                    "The link may have been cut or changed. Copy the whole address from the email.", "/", "Go to the front page");
        };
    }

    private Response notice(int status, String title, String text, String linkUrl, String linkLabel) {
        return Response.status(status).entity(Templates.notice(chrome.site(), title, text, linkUrl, linkLabel))
                .header("Cache-Control", "private, no-store").build();
    }
}
