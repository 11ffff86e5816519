package dev.gazette.admin.web;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.gazette.article.Article;
import dev.gazette.article.ArticleStatus;
import dev.gazette.common.Period;
import dev.gazette.common.security.Roles;
import dev.gazette.digest.DigestIssue;
import dev.gazette.digest.IssueService;
import dev.gazette.digest.IssueStatus;
import dev.gazette.digest.Newsletter;
import dev.gazette.digest.UpcomingIssues;
import dev.gazette.social.Channel;
import dev.gazette.social.Distribution;
import dev.gazette.social.DistributionService;
import dev.gazette.stats.Funnel;
import io.quarkus.panache.common.Sort;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The editor UI's front page: counts, each newsletter's next issue, issues going out (with their live progress),
 * recent posts and the week's funnel per channel.
 */
@Path("/admin")
@Produces(MediaType.TEXT_HTML)
public class DashboardPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance dashboard(AdminChrome chrome, Map<String, Long> counts, List<UpcomingIssues.Upcoming> next, List<IssueRow> issues,
                List<PostRow> posts, List<Funnel.ChannelFunnel> funnel, LocalDate from, LocalDate to);
    }

    /** An issue on the dashboard, with its progress. */
    public record IssueRow(String newsletter, DigestIssue issue, long done, long total, int percent) {
    }

    /** A post in the ledger, with its channel's name. */
    public record PostRow(Distribution post, String channel, String network, String article) {

        /** Rows for these posts, with their channels and articles. */
        static List<PostRow> of(List<Distribution> posts) {
            List<PostRow> rows = new ArrayList<>();
            for (Distribution d : posts) {
                Channel c = Channel.findById(d.channelId);
                Article a = d.articleId == null ? null : Article.findById(d.articleId);
                rows.add(new PostRow(d, c == null ? "?" : c.name, c == null ? "" : c.network.name(),
                        a != null ? a.title : "Digest issue " + d.issueId));
            }
            return rows;
        }
    }

    private final AdminContext context;
    private final IssueService issues;
    private final UpcomingIssues upcoming;
    private final DistributionService distributions;
    private final Funnel funnel;
    private final Clock clock;

    DashboardPages(AdminContext context, IssueService issues, UpcomingIssues upcoming, DistributionService distributions, Funnel funnel, Clock clock) {
        this.context = context;
        this.issues = issues;
        this.upcoming = upcoming;
        this.distributions = distributions;
        this.funnel = funnel;
        this.clock = clock;
    }

    private AdminChrome chrome(String section) {
        return context.chrome(section);
    }

    @GET
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance dashboard() {
        LocalDate to = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate from = to.minusDays(6);
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        counts.put("Published articles", Article.count("status", ArticleStatus.PUBLISHED));
        counts.put("Drafts and scheduled", Article.count("status in ?1", List.of(ArticleStatus.DRAFT, ArticleStatus.SCHEDULED)));
        counts.put("Active readers", dev.gazette.subscriber.Subscriber.count("status",
                dev.gazette.subscriber.SubscriberStatus.ACTIVE));
        counts.put("Channels", Channel.count());
        List<IssueRow> running = new ArrayList<>();
        for (DigestIssue issue : DigestIssue.<DigestIssue>list("status in ?1", Sort.by("sendAt"),
                List.of(IssueStatus.SENDING, IssueStatus.PAUSED))) {
            running.add(issueRow(issue));
        }
        return Templates.dashboard(chrome("dashboard"), counts, upcoming.list(clock.instant()), running, PostRow.of(distributions.list(
                new DistributionService.Filter(null, null, null, null), null, 10)),
                funnel.perChannel(new Period(from, to)), from, to);
    }

    /** The progress bar of one issue, refreshed by htmx while it sends. */
    @GET
    @Path("/issues/{id}/progress")
    @RolesAllowed(Roles.EDITOR)
    public String issueProgress(@PathParam("id") long id) {
        IssueRow row = issueRow(issues.get(id));
        return "<progress max=\"100\" value=\"" + row.percent() + "\" aria-label=\"Issue " + row.issue().number
                + " progress\">" + row.percent() + "%</progress> <span class=\"muted\">" + row.done() + " of " + row.total()
                + " handled</span>";
    }

    private IssueRow issueRow(DigestIssue issue) {
        IssueService.Progress p = issues.progress(issue.id);
        Newsletter n = Newsletter.findById(issue.newsletterId);
        return new IssueRow(n == null ? "?" : n.name, issue, p.handled(), p.total(), p.percent());
    }
}
