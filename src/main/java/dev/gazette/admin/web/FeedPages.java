package dev.gazette.admin.web;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
import dev.gazette.article.feed.FeedImporter;
import dev.gazette.article.feed.FeedSource;
import dev.gazette.article.feed.FeedSourceService;
import dev.gazette.article.feed.ImportMode;
import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The editor UI's feed sources: the feeds articles are imported from, with their state, last fetch and last error in
 * plain words; adding, changing, pausing, fetching now and removing one, through the services the feed API uses.
 */
@Path("/admin/feeds")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.EDITOR)
public class FeedPages {

    static final String SECTION = "feeds";
    private static final Pattern HTTP_STATUS = Pattern.compile("The server answered HTTP (\\d{3})");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance feeds(AdminChrome chrome, List<FeedRow> feeds, List<Topic> topics, FeedForm form,
                List<ImportMode> modes, Map<String, String> errors, String notice);

        static native TemplateInstance feed(AdminChrome chrome, FeedRow row, List<Topic> topics, FeedForm form,
                List<ImportMode> modes, Map<String, String> errors, String notice);
    }

    /** A feed source as the list shows it: its state and last error in words. */
    public record FeedRow(FeedSource source, String state, String problem) {
        static FeedRow of(FeedSource s) {
            return new FeedRow(s, FeedPages.state(s), explain(s.lastError));
        }
    }

    /** A feed as the form holds it. */
    public record FeedForm(String url, List<String> topics, String pollIntervalMinutes, String importAs) {
        static FeedForm of(FeedSource s) {
            return new FeedForm(s.url, s.topics.stream().map(t -> t.slug).toList(), String.valueOf(s.pollIntervalSecs / 60),
                    s.importAs.name());
        }
    }

    private final AdminContext context;
    private final FeedSourceService sources;
    private final FeedImporter importer;
    private final TopicService topics;

    FeedPages(AdminContext context, FeedSourceService sources, FeedImporter importer, TopicService topics) {
        this.context = context;
        this.sources = sources;
        this.importer = importer;
        this.topics = topics;
    }

    @GET
    public TemplateInstance list(@QueryParam("notice") String notice) {
        return listPage(new FeedForm("", List.of(), "", ImportMode.PUBLISHED.name()), Map.of(),
                "removed".equals(notice) ? "Feed removed. The articles imported from it stay." : null);
    }

    private TemplateInstance listPage(FeedForm form, Map<String, String> errors, String notice) {
        return Templates.feeds(context.chrome(SECTION), sources.list().stream().map(FeedRow::of).toList(), topics.list(),
                form, List.of(ImportMode.values()), errors, notice);
    }

    @POST
    public Response add(@RestForm String url, @RestForm List<String> topic, @RestForm String pollIntervalMinutes,
            @RestForm String importAs) {
        FeedForm form = new FeedForm(url, topic == null ? List.of() : topic, pollIntervalMinutes, importAs);
        try {
            FeedSource created = sources.create(url, form.topics(), interval(pollIntervalMinutes), mode(importAs));
            return Response.seeOther(URI.create("/admin/feeds/" + created.id + "?notice=added")).build();
        } catch (ProblemException e) {
            return Response.status(e.status()).entity(listPage(form, FieldErrors.of(e, "form"), null)).build();
        }
    }

    @GET
    @Path("/{id}")
    public TemplateInstance feed(@PathParam("id") long id, @QueryParam("notice") String notice) {
        FeedSource source = require(id);
        return feedPage(source, FeedForm.of(source), Map.of(), noticeText(notice));
    }

    private TemplateInstance feedPage(FeedSource source, FeedForm form, Map<String, String> errors, String notice) {
        return Templates.feed(context.chrome(SECTION), FeedRow.of(source), topics.list(), form,
                List.of(ImportMode.values()), errors, notice);
    }

    @POST
    @Path("/{id}")
    public Response edit(@PathParam("id") long id, @RestForm List<String> topic, @RestForm String pollIntervalMinutes,
            @RestForm String importAs) {
        FeedSource source = require(id);
        FeedForm form = new FeedForm(source.url, topic == null ? List.of() : topic, pollIntervalMinutes, importAs);
        try {
            sources.update(id, form.topics(), interval(pollIntervalMinutes), mode(importAs));
            return Response.seeOther(URI.create("/admin/feeds/" + id + "?notice=saved")).build();
        } catch (ProblemException e) {
            return Response.status(e.status()).entity(feedPage(source, form, FieldErrors.of(e, "form"), null)).build();
        }
    }

    /** Fetches the feed at once and says what came of it. */
    @POST
    @Path("/{id}/poll")
    public TemplateInstance poll(@PathParam("id") long id) {
        require(id);
        FeedImporter.PollResult result = importer.poll(id);
        FeedSource source = require(id);
        String notice = result.error() != null ? "The fetch failed: " + explain(result.error())
                : "not-modified".equals(result.outcome()) ? "Fetched: nothing changed since the last fetch."
                : "Fetched: " + TopicPages.count(result.created(), "new article") + ", "
                        + TopicPages.count(result.updated(), "updated article") + ", " + result.unchanged() + " unchanged"
                        + (result.skipped() > 0 ? ", " + result.skipped() + " skipped" : "") + ".";
        return feedPage(source, FeedForm.of(source), Map.of(), notice);
    }

    @POST
    @Path("/{id}/pause")
    public Response pause(@PathParam("id") long id) {
        sources.setActive(id, false);
        return Response.seeOther(URI.create("/admin/feeds/" + id + "?notice=paused")).build();
    }

    @POST
    @Path("/{id}/resume")
    public Response resume(@PathParam("id") long id) {
        sources.setActive(id, true);
        return Response.seeOther(URI.create("/admin/feeds/" + id + "?notice=resumed")).build();
    }

    @POST
    @Path("/{id}/delete")
    public Response remove(@PathParam("id") long id) {
        sources.delete(id);
        return Response.seeOther(URI.create("/admin/feeds?notice=removed")).build();
    }

    private FeedSource require(long id) {
        return sources.find(id).orElseThrow(() -> ProblemException.notFound("Feed source " + id));
    }

    private static Duration interval(String minutes) {
        if (minutes == null || minutes.isBlank()) {
            return null;
        }
        try {
            return Duration.ofMinutes(Long.parseLong(minutes.trim()));
        } catch (NumberFormatException e) {
            throw ProblemException.invalid("pollIntervalMinutes", "must be a whole number of minutes");
        }
    }

    private static ImportMode mode(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return ImportMode.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("importAs", "must be PUBLISHED or DRAFT");
        }
    }

    static String state(FeedSource s) {
        if (!s.active) {
            return "Paused";
        }
        if (s.consecutiveErrors > 0) {
            return "Failing (" + TopicPages.count(s.consecutiveErrors, "failed fetch") + " in a row)";
        }
        return s.lastSuccessAt == null ? "Waiting for its first fetch" : "Working";
    }

    /** The stored error with what it means for the editor; null when there is none. */
    static String explain(String error) {
        if (error == null || error.isBlank()) {
            return null;
        }
        Matcher status = HTTP_STATUS.matcher(error);
        String lower = error.toLowerCase(Locale.ROOT);
        String meaning;
        if (status.find()) {
            meaning = switch (status.group(1)) {
                case "401", "403" -> "The site refuses to give Gazette the feed (it may need a login or block robots).";
                case "404", "410" -> "There is no feed at this address any more: check the address on the site.";
                case "429" -> "The site asks Gazette to fetch less often: lengthen the poll interval.";
                default -> status.group(1).startsWith("5") ? "The site has a problem on its side; Gazette tries again later."
                        : "The site answered with an error.";
            };
        } else if (lower.startsWith("unknown host")) {
            meaning = "The site's name does not exist: check the address for typos.";
        } else if (lower.startsWith("timed out") || lower.startsWith("cannot reach")) {
            meaning = "The site could not be reached; Gazette tries again later.";
        } else if (lower.startsWith("not a valid rss")) {
            meaning = "The address answers, but not with a feed: use the address of the RSS or Atom feed, not of the page.";
        } else if (lower.contains("larger than")) {
            meaning = "The feed is too large to import.";
        } else if (lower.contains("private-addresses")) {
            meaning = "The address points inside this server's own network, which Gazette does not fetch.";
        } else {
            meaning = "The feed could not be read.";
        }
        return meaning + " (" + error + ")";
    }

    private static String noticeText(String notice) {
        if (notice == null) {
            return null;
        }
        return switch (notice) {
            case "added" -> "Feed added. Its first fetch imports what it holds now, without announcing it as new.";
            case "saved" -> "Saved. The new topics and import mode apply to articles imported from now on.";
            case "paused" -> "Paused: Gazette does not fetch this feed until you resume it.";
            case "resumed" -> "Resumed: the next fetch is due now.";
            default -> null;
        };
    }
}
