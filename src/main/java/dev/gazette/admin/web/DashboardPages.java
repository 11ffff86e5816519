package dev.gazette.admin.web;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.gazette.common.Period;
import dev.gazette.common.security.Roles;
import dev.gazette.digest.IssueService;
import dev.gazette.digest.UpcomingIssues;
import dev.gazette.social.DistributionService;
import dev.gazette.stats.Funnel;
import dev.gazette.stats.Overview;
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
        static native TemplateInstance dashboard(AdminChrome chrome, Map<String, Long> counts, List<UpcomingIssues.Upcoming> next, List<IssueService.Summary> issues,
                List<DistributionService.Described> posts, List<Funnel.ChannelFunnel> funnel, LocalDate from, LocalDate to,
                List<ChannelPages.ChannelRow> attention);

        static native TemplateInstance issueProgress(IssueService.Summary row);
    }

    private final AdminContext context;
    private final IssueService issues;
    private final UpcomingIssues upcoming;
    private final DistributionService distributions;
    private final Funnel funnel;
    private final Overview overview;
    private final Clock clock;
    private final ChannelPages channels;

    DashboardPages(AdminContext context, IssueService issues, UpcomingIssues upcoming, DistributionService distributions, Funnel funnel,
            Overview overview, Clock clock, ChannelPages channels) {
        this.channels = channels;
        this.context = context;
        this.issues = issues;
        this.upcoming = upcoming;
        this.distributions = distributions;
        this.funnel = funnel;
        this.overview = overview;
        this.clock = clock;
    }

    @GET
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance dashboard() {
        LocalDate to = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate from = to.minusDays(6);
        Map<String, Long> counts = overview.counts();
        return Templates.dashboard(context.chrome("dashboard"), counts, upcoming.list(clock.instant()), issues.running(), distributions.describe(distributions.list(
                new DistributionService.Filter(null, null, null, null), null, 10)),
                funnel.perChannel(new Period(from, to)), from, to, channels.needingAttention());
    }

    /** The progress bar of one issue, refreshed by htmx while it sends. */
    @GET
    @Path("/issues/{id}/progress")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance issueProgress(@PathParam("id") long id) {
        return Templates.issueProgress(issues.summary(id));
    }

}
