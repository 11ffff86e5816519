package dev.gazette.admin.web;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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

import org.jboss.resteasy.reactive.RestForm;

import dev.gazette.article.Topic;
import dev.gazette.article.TopicService;
import dev.gazette.common.SignedTokens;
import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import dev.gazette.subscriber.TopicFollowers;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The editor UI's topics: the list with how many articles and readers each has, creating, renaming, and merging or
 * deleting one after a page that spells out what happens to its readers and articles. Everything goes through
 * {@link TopicService}, as the topic API does.
 */
@Path("/admin/topics")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.EDITOR)
public class TopicPages {

    static final String SECTION = "topics";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance topics(AdminChrome chrome, List<TopicRow> topics, long allTopicReaders,
                TopicForm form, Map<String, String> errors, String notice);

        static native TemplateInstance topic(AdminChrome chrome, TopicRow row, List<Topic> others, TopicForm form,
                Map<String, String> errors, String notice);

        static native TemplateInstance confirm(AdminChrome chrome, TopicRow row, Topic into, List<String> effects,
                String action, String confirmation, String problem);
    }

    /** A topic with its counts. */
    public record TopicRow(Topic topic, long articles, long readers) {
    }

    /** A topic as the form holds it. */
    public record TopicForm(String name, String slug, String description) {
        static TopicForm of(Topic t) {
            return new TopicForm(t.name, t.slug, t.description == null ? "" : t.description);
        }
    }

    private static final String MERGE = "topic-merge";
    private static final String DELETE = "topic-delete";
    /** How long an editor has between reading what a merge or deletion does and confirming it. */
    static final Duration CONFIRMATION_LIFETIME = Duration.ofMinutes(10);

    private final AdminContext context;
    private final TopicService topics;
    private final TopicFollowers followers;
    private final SignedTokens tokens;
    private final Clock clock;

    TopicPages(AdminContext context, TopicService topics, TopicFollowers followers, SignedTokens tokens, Clock clock) {
        this.context = context;
        this.topics = topics;
        this.followers = followers;
        this.tokens = tokens;
        this.clock = clock;
    }

    @GET
    public TemplateInstance list(@QueryParam("notice") String notice) {
        return listPage(new TopicForm("", "", ""), Map.of(), noticeText(notice));
    }

    private TemplateInstance listPage(TopicForm form, Map<String, String> errors, String notice) {
        TopicService.ArticleCounts articles = topics.articleCounts();
        Map<Long, Long> readers = followers.byTopic();
        List<TopicRow> rows = topics.list().stream()
                .map(t -> new TopicRow(t, articles.of(t.id), readers.getOrDefault(t.id, 0L))).toList();
        return Templates.topics(context.chrome(SECTION), rows, followers.ofAllTopics(), form, errors, notice);
    }

    @POST
    public Response create(@RestForm String name, @RestForm String slug, @RestForm String description) {
        try {
            Topic created = topics.create(name, slug, description);
            return Response.seeOther(URI.create("/admin/topics?notice=created-" + created.id)).build();
        } catch (ProblemException e) {
            return Response.status(e.status()).entity(listPage(new TopicForm(name, slug, description),
                    FieldErrors.of(e, "form"), null)).build();
        }
    }

    @GET
    @Path("/{id}")
    public TemplateInstance topic(@PathParam("id") long id, @QueryParam("notice") String notice) {
        Topic t = require(id);
        return topicPage(t, TopicForm.of(t), Map.of(), noticeText(notice));
    }

    private TemplateInstance topicPage(Topic t, TopicForm form, Map<String, String> errors, String notice) {
        List<Topic> others = topics.list().stream().filter(o -> !o.id.equals(t.id)).toList();
        return Templates.topic(context.chrome(SECTION), row(t), others, form, errors, notice);
    }

    @POST
    @Path("/{id}")
    public Response rename(@PathParam("id") long id, @RestForm String name, @RestForm String slug,
            @RestForm String description) {
        try {
            topics.update(id, name == null ? "" : name, slug == null || slug.isBlank() ? null : slug.trim(),
                    description == null ? "" : description);
            return Response.seeOther(URI.create("/admin/topics/" + id + "?notice=saved")).build();
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw e;
            }
            return Response.status(e.status()).entity(topicPage(require(id), new TopicForm(name, slug, description),
                    FieldErrors.of(e, "form"), null)).build();
        }
    }

    /** What merging would do, with the button that does it. */
    @GET
    @Path("/{id}/merge")
    public Response confirmMerge(@PathParam("id") long id, @QueryParam("into") Long into) {
        Topic from = require(id);
        Topic target = into == null ? null : topics.find(into).orElse(null);
        if (target == null || target.id.equals(from.id)) {
            return Response.status(400).entity(topicPage(from, TopicForm.of(from),
                    Map.of("into", "choose the topic to merge " + from.name + " into"), null)).build();
        }
        return Response.ok(confirmPage(from, target, null)).build();
    }

    /**
     * Merges once the editor has confirmed exactly what the page showed: the token binds the two topics and the effects
     * as worded (their counts included). Without it, or when the counts have changed since, the page is shown again
     * with the current effects instead.
     */
    @POST
    @Path("/{id}/merge")
    public Response merge(@PathParam("id") long id, @RestForm Long into, @RestForm String confirmation) {
        Topic from = require(id);
        Topic target = into == null ? null : topics.find(into).orElse(null);
        if (target != null && !target.id.equals(from.id)) {
            String problem = confirmationProblem(MERGE, confirmation, from, target);
            if (problem != null) {
                return Response.status(409).entity(confirmPage(from, target, problem)).build();
            }
        }
        try {
            Topic remaining = topics.merge(id, into == null ? -1 : into);
            return Response.seeOther(URI.create("/admin/topics/" + remaining.id + "?notice=merged")).build();
        } catch (ProblemException e) {
            return Response.status(e.status()).entity(topicPage(from, TopicForm.of(from), FieldErrors.of(e, "into"), null))
                    .build();
        }
    }

    /** What deleting would do, with the button that does it. */
    @GET
    @Path("/{id}/delete")
    public TemplateInstance confirmDelete(@PathParam("id") long id) {
        return confirmPage(require(id), null, null);
    }

    /** Deletes once the editor has confirmed exactly what the page showed (see {@link #merge}). */
    @POST
    @Path("/{id}/delete")
    public Response delete(@PathParam("id") long id, @RestForm String confirmation) {
        Topic topic = require(id);
        String problem = confirmationProblem(DELETE, confirmation, topic, null);
        if (problem != null) {
            return Response.status(409).entity(confirmPage(topic, null, problem)).build();
        }
        topics.delete(id);
        return Response.seeOther(URI.create("/admin/topics?notice=deleted")).build();
    }

    private TemplateInstance confirmPage(Topic topic, Topic into, String problem) {
        List<String> effects = into == null ? deleteEffects(topic) : mergeEffects(topic, into);
        String token = tokens.sign(into == null ? DELETE : MERGE, topic.id, into == null ? 0 : into.id,
                clock.instant().plus(CONFIRMATION_LIFETIME), String.join("\n", effects));
        return Templates.confirm(context.chrome(SECTION), row(topic), into, effects, into == null ? "delete" : "merge", token,
                problem);
    }

    /** Null when {@code confirmation} confirms what merging or deleting would do now; otherwise what to tell the editor. */
    private String confirmationProblem(String purpose, String confirmation, Topic topic, Topic into) {
        if (confirmation == null || confirmation.isBlank()) {
            return "Nothing was changed: read what would happen, then confirm.";
        }
        List<String> effects = into == null ? deleteEffects(topic) : mergeEffects(topic, into);
        SignedTokens.Check check = tokens.check(confirmation, purpose, String.join("\n", effects));
        if (check instanceof SignedTokens.Valid v && v.subject() == topic.id && v.nonce() == (into == null ? 0 : into.id)) {
            return null;
        }
        if (check instanceof SignedTokens.Expired) {
            return "Nothing was changed: the confirmation is more than " + CONFIRMATION_LIFETIME.toMinutes()
                    + " minutes old. Read what would happen now, then confirm again.";
        }
        return "Nothing was changed: the numbers have changed since the page was shown. Read what would happen now,"
                + " then confirm again.";
    }

    List<String> mergeEffects(Topic from, Topic into) {
        TopicService.ArticleCounts articles = topics.articleCounts();
        long readers = followers.byTopic().getOrDefault(from.id, 0L);
        long bothReaders = followers.ofBoth(from.id, into.id);
        long bothArticles = topics.articlesWithBoth(from.id, into.id);
        return List.of(
                "Merging " + from.name + " into " + into.name + ": " + count(readers, "reader") + " and "
                        + count(articles.of(from.id), "article") + " move to " + into.name + "; "
                        + count(bothReaders, "reader") + " and " + count(bothArticles, "article")
                        + " that already had both keep one.",
                "Newsletters, channels and feeds that cover " + from.name + " cover " + into.name + " from now on.",
                "The topic " + from.name + " is removed: its page /topics/" + from.slug + " and its feed stop working."
                        + " This cannot be undone.");
    }

    List<String> deleteEffects(Topic topic) {
        long articles = topics.articleCounts().of(topic.id);
        long readers = followers.byTopic().getOrDefault(topic.id, 0L);
        long only = followers.ofOnly(topic.id);
        return List.of(
                "Deleting " + topic.name + ": " + count(articles, "article") + (articles == 1 ? " loses" : " lose")
                        + " the topic; the articles themselves stay as they are.",
                count(readers, "reader") + (readers == 1 ? " follows " : " follow ") + topic.name + "; " + only
                        + (only == 1 ? " follows" : " follow") + " only " + topic.name + " and would get nothing: they stay"
                        + " subscribed, but no digest is sent to them until they choose other topics on their preferences"
                        + " page. To keep sending them articles, merge " + topic.name + " into another topic instead.",
                "Readers who follow all topics are not affected. Newsletters and channels no longer list "
                        + topic.name + "; its page /topics/" + topic.slug + " stops working. This cannot be undone.");
    }

    private TopicRow row(Topic t) {
        return new TopicRow(t, topics.articleCounts().of(t.id), followers.byTopic().getOrDefault(t.id, 0L));
    }

    private Topic require(long id) {
        return topics.find(id).orElseThrow(() -> ProblemException.notFound("Topic " + id));
    }

    static String count(long n, String noun) {
        return n + " " + (n == 1 ? noun : noun + "s");
    }

    private static String noticeText(String notice) {
        if (notice == null) {
            return null;
        }
        if (notice.startsWith("created-")) {
            return "Topic created. Readers can choose it on the subscribe form now.";
        }
        return switch (notice) {
            case "saved" -> "Saved.";
            case "merged" -> "Merged. Everything that had the other topic has this one now.";
            case "deleted" -> "Topic deleted.";
            default -> null;
        };
    }
}
