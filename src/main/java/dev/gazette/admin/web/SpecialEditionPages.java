package dev.gazette.admin.web;

import java.net.URI;
import java.time.LocalDateTime;
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

import org.jboss.resteasy.reactive.RestForm;

import dev.gazette.article.Article;
import dev.gazette.article.ArticleService;
import dev.gazette.article.ArticleStatus;
import dev.gazette.article.Topic;
import dev.gazette.article.TopicService;
import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import dev.gazette.digest.NewsletterService;
import dev.gazette.digest.SpecialEditions;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Special editions in the editor: the form (subject, note, articles, topics, now or at a local time), then a
 * confirmation that names the edition, its subject and its exact number of readers; the send is refused on the server
 * without that confirmation, and a repeated one sends nothing.
 */
@Path("/admin/newsletters/{id: \\d+}/special")
@Produces(MediaType.TEXT_HTML)
public class SpecialEditionPages {

    private static final int CANDIDATES = 50;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance form(AdminChrome chrome, long newsletterId, String newsletter, Typed typed,
                List<Article> articles, List<Topic> topics, Map<String, String> errors);

        static native TemplateInstance confirm(AdminChrome chrome, long newsletterId, Typed typed, SpecialEditions.Audience audience,
                List<Article> chosen);
    }

    /** The form as typed. */
    public record Typed(String subject, String note, List<Long> article, List<String> topic, String when, String localTime) {

        public boolean chosen(long articleId) {
            return article.contains(articleId);
        }

        public boolean covers(String slug) {
            return topic.contains(slug);
        }

        public String localTimeText() {
            return localTime.replace('T', ' ');
        }

        public boolean later() {
            return "later".equals(when);
        }
    }

    private final AdminContext context;
    private final SpecialEditions editions;
    private final NewsletterService newsletters;
    private final ArticleService articles;
    private final TopicService topics;

    SpecialEditionPages(AdminContext context, SpecialEditions editions, NewsletterService newsletters, ArticleService articles,
            TopicService topics) {
        this.context = context;
        this.editions = editions;
        this.newsletters = newsletters;
        this.articles = articles;
        this.topics = topics;
    }

    @GET
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance form(@PathParam("id") long id) {
        return form(id, new Typed("", "", List.of(), List.of(), "now", ""), Map.of());
    }

    private TemplateInstance form(long id, Typed typed, Map<String, String> errors) {
        List<Article> recent = articles.list(new ArticleService.Filter(ArticleStatus.PUBLISHED, null, null), null, CANDIDATES).items();
        return Templates.form(context.chrome("newsletters"), id, newsletters.get(id).name, typed, recent, topics.list(), errors);
    }

    /** The confirmation: what will be sent, to how many readers, when. */
    @POST
    @Path("/review")
    @RolesAllowed(Roles.EDITOR)
    public Response review(@PathParam("id") long id, @RestForm String subject, @RestForm String note,
            @RestForm List<Long> article, @RestForm List<String> topic, @RestForm String when, @RestForm String localTime) {
        Typed typed = typed(subject, note, article, topic, when, localTime);
        try {
            SpecialEditions.Audience audience = editions.audience(id, edition(typed));
            List<Article> chosen = typed.article().stream().map(a -> Article.<Article>findById(a)).toList();
            return Response.ok(Templates.confirm(context.chrome("newsletters"), id, typed, audience, chosen)).build();
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw e;
            }
            return Response.status(e.status()).entity(form(id, typed, FieldErrors.of(e, "form"))).build();
        }
    }

    /** Sends what was confirmed, or shows the form again with what changed. */
    @POST
    @RolesAllowed(Roles.EDITOR)
    public Response send(@PathParam("id") long id, @RestForm String subject, @RestForm String note,
            @RestForm List<Long> article, @RestForm List<String> topic, @RestForm String when, @RestForm String localTime,
            @RestForm Long expectedRecipients, @RestForm Integer expectedNumber) {
        Typed typed = typed(subject, note, article, topic, when, localTime);
        if (expectedRecipients == null || expectedNumber == null) {
            return Response.status(400).entity(form(id, typed, Map.of("form",
                    "Review the edition first: it is sent from its confirmation, which names its readers."))).build();
        }
        try {
            editions.send(id, edition(typed), context.username(), expectedRecipients, expectedNumber);
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw e;
            }
            return Response.status(e.status()).entity(form(id, typed, FieldErrors.of(e, "form"))).build();
        }
        return Response.seeOther(URI.create("/admin/newsletters/" + id + "?notice=special-sent")).build();
    }

    private static Typed typed(String subject, String note, List<Long> article, List<String> topic, String when, String localTime) {
        return new Typed(subject == null ? "" : subject, note == null ? "" : note, article == null ? List.of() : article,
                topic == null ? List.of() : topic, "later".equals(when) ? "later" : "now", localTime == null ? "" : localTime);
    }

    private static SpecialEditions.Edition edition(Typed typed) {
        LocalDateTime at = null;
        if (typed.later()) {
            try {
                at = LocalDateTime.parse(typed.localTime().strip());
            } catch (java.time.format.DateTimeParseException e) {
                throw ProblemException.invalid("localTime", "must be a date and time, such as 2026-03-02T18:00");
            }
        }
        return new SpecialEditions.Edition(typed.subject(), typed.note(), typed.article(), typed.topic(), at);
    }
}
