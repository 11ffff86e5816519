package dev.gazette.admin.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.annotation.security.RolesAllowed;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import dev.gazette.article.Article;
import dev.gazette.article.ArticleInput;
import dev.gazette.article.ArticleRenderer;
import dev.gazette.article.ArticleService;
import dev.gazette.article.ArticleStatus;
import dev.gazette.article.BodyFormat;
import dev.gazette.article.Topic;
import dev.gazette.article.TopicService;
import dev.gazette.common.Period;
import dev.gazette.common.config.SiteConfig;
import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import dev.gazette.digest.DigestIssue;
import dev.gazette.digest.IssueService;
import dev.gazette.digest.IssueStatus;
import dev.gazette.digest.Newsletter;
import dev.gazette.mail.MailService;
import dev.gazette.social.Channel;
import dev.gazette.social.Distribution;
import dev.gazette.social.DistributionService;
import dev.gazette.social.SocialPreview;
import dev.gazette.stats.Funnel;
import io.quarkus.panache.common.Sort;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The editor web UI: server-rendered Qute pages under {@code /admin}, with htmx for the parts that update in place.
 * Signed in with the users of the API ({@link SignInPages}: a session in the database, a {@code SameSite=Strict}
 * cookie); every form carries a CSRF token ({@link AdminCsrf}). Users and API tokens are {@link UserPages}.
 */
@Path("/admin")
@Produces(MediaType.TEXT_HTML)
public class AdminPages {

    private static final Pattern OUTBOX_NAME = Pattern.compile("[A-Za-z0-9._-]+\\.eml");
    private static final int PAGE = 50;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance dashboard(AdminChrome chrome, Map<String, Long> counts, List<NextIssue> next, List<IssueRow> issues,
                List<PostRow> posts, List<Funnel.ChannelFunnel> funnel, LocalDate from, LocalDate to);

        static native TemplateInstance articles(AdminChrome chrome, List<Article> articles, String q, String status,
                List<ArticleStatus> statuses);

        static native TemplateInstance article(AdminChrome chrome, ArticleForm form, List<Topic> topics,
                Map<String, String> errors, String notice, List<SocialPreview.ChannelPreview> previews, List<PostRow> posts);

        static native TemplateInstance preview(String html);

        static native TemplateInstance outbox(AdminChrome chrome, String directory, List<OutboxMail> mails);

        static native TemplateInstance outboxMail(AdminChrome chrome, OutboxMail mail, String html, String text);

    }

    /**
     * A newsletter's next scheduled issue: the local date, and the window in which it goes out as the send time
     * arrives in each time zone its readers live in.
     */
    public record NextIssue(String newsletter, long newsletterId, LocalDate date, String sendTime, Instant first, Instant last,
            int zones) {
    }

    /** An issue on the dashboard, with its progress. */
    public record IssueRow(String newsletter, DigestIssue issue, long done, long total, int percent) {
    }

    /** A post in the ledger, with its channel's name. */
    public record PostRow(Distribution post, String channel, String network, String article) {
    }

    /** An article as the editor form holds it. */
    public record ArticleForm(Long id, String title, String summary, String body, String imageUrl, String imageAlt,
            String imageCaption, String imageCredit, List<String> topics, ArticleStatus status, String slug, String publicUrl) {

        static ArticleForm of(Article a, String baseUrl) {
            return new ArticleForm(a.id, a.title, a.summary, a.bodySource, a.imageUrl, a.imageAlt, a.imageCaption, a.imageCredit,
                    a.topics.stream().map(t -> t.slug).toList(), a.status, a.slug, baseUrl + "/articles/" + a.slug);
        }
    }

    /** A mail in the outbox. */
    public record OutboxMail(String name, String subject, String to, Instant written, long bytes) {
    }

    private final AdminContext context;
    private final ArticleService articles;
    private final ArticleRenderer renderer;
    private final TopicService topics;
    private final IssueService issues;
    private final DistributionService distributions;
    private final SocialPreview socialPreview;
    private final Funnel funnel;
    private final MailService mail;
    private final SiteConfig site;
    private final Clock clock;

    AdminPages(AdminContext context, ArticleService articles, ArticleRenderer renderer, TopicService topics, IssueService issues, DistributionService distributions, SocialPreview socialPreview, Funnel funnel,
            MailService mail, SiteConfig site, Clock clock) {
        this.context = context;
        this.articles = articles;
        this.renderer = renderer;
        this.topics = topics;
        this.issues = issues;
        this.distributions = distributions;
        this.socialPreview = socialPreview;
        this.funnel = funnel;
        this.mail = mail;
        this.site = site;
        this.clock = clock;
    }

    private AdminChrome chrome(String section) {
        return context.chrome(section);
    }

    // ---- dashboard

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
        return Templates.dashboard(chrome("dashboard"), counts, nextIssues(clock.instant()), running, postRows(distributions.list(
                new DistributionService.Filter(null, null, null, null), null, 10)),
                funnel.perChannel(new Period(from, to)), from, to);
    }

    @SuppressWarnings("unchecked")
    private List<NextIssue> nextIssues(Instant now) {
        List<java.time.ZoneId> zones = ((List<String>) Article.getEntityManager().createNativeQuery(
                "select distinct timezone from subscriber where status = 'ACTIVE'").getResultList()).stream()
                .map(z -> {
                    try {
                        return java.time.ZoneId.of(z);
                    } catch (java.time.DateTimeException e) {
                        return null;
                    }
                }).filter(java.util.Objects::nonNull).toList();
        List<NextIssue> next = new ArrayList<>();
        if (zones.isEmpty()) {
            return next;
        }
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        for (Newsletter n : Newsletter.<Newsletter>list("active = true order by name")) {
            for (LocalDate date = today.minusDays(1); date.isBefore(today.plusDays(9)); date = date.plusDays(1)) {
                if (n.cadence == dev.gazette.digest.Cadence.WEEKLY && date.getDayOfWeek() != n.weeklyDay) {
                    continue;
                }
                LocalDate day = date;
                List<Instant> dues = zones.stream().map(z -> day.atTime(n.sendTime).atZone(z).toInstant())
                        .filter(i -> i.isAfter(now)).sorted().toList();
                if (!dues.isEmpty()) {
                    next.add(new NextIssue(n.name, n.id, date, n.sendTime.toString(), dues.get(0), dues.get(dues.size() - 1),
                            dues.size()));
                    break;
                }
            }
        }
        return next;
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

    private List<PostRow> postRows(List<Distribution> posts) {
        List<PostRow> rows = new ArrayList<>();
        for (Distribution d : posts) {
            Channel c = Channel.findById(d.channelId);
            Article a = d.articleId == null ? null : Article.findById(d.articleId);
            rows.add(new PostRow(d, c == null ? "?" : c.name, c == null ? "" : c.network.name(),
                    a != null ? a.title : "Digest issue " + d.issueId));
        }
        return rows;
    }

    // ---- articles

    @GET
    @Path("/articles")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance articles(@QueryParam("q") String q, @QueryParam("status") String status) {
        ArticleStatus wanted = null;
        if (status != null && !status.isBlank()) {
            try {
                wanted = ArticleStatus.valueOf(status);
            } catch (IllegalArgumentException e) {
                wanted = null;
            }
        }
        List<Article> list = articles.list(new ArticleService.Filter(wanted, null, q), null, PAGE).items();
        return Templates.articles(chrome("articles"), list, q == null ? "" : q, wanted == null ? "" : wanted.name(),
                Arrays.asList(ArticleStatus.values()));
    }

    @GET
    @Path("/articles/new")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance newArticle() {
        return articlePage(new ArticleForm(null, "", "", "", "", "", "", "", List.of(), null, null, null), Map.of(), null);
    }

    @GET
    @Path("/articles/{id}")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance editArticle(@PathParam("id") long id, @QueryParam("notice") String notice) {
        Article a = articles.find(id).orElseThrow(() -> ProblemException.notFound("Article " + id));
        return articlePage(ArticleForm.of(a, site.baseUrl()), Map.of(), notice);
    }

    private TemplateInstance articlePage(ArticleForm form, Map<String, String> errors, String notice) {
        List<SocialPreview.ChannelPreview> previews = form.id() == null ? List.of() : socialPreview.forArticle(form.id());
        List<PostRow> posts = form.id() == null ? List.of() : postRows(distributions.list(
                new DistributionService.Filter(form.id(), null, null, null), null, 100));
        return Templates.article(chrome("articles"), form, topics.list(), errors, noticeText(notice), previews, posts);
    }

    private static String noticeText(String notice) {
        if (notice == null) {
            return null;
        }
        return switch (notice) {
            case "saved" -> "Saved.";
            case "published" -> "Published. The article is on the site, and its posts are queued.";
            case "scheduled" -> "Scheduled.";
            case "unpublished" -> "Unpublished.";
            case "retried" -> "The post is queued again.";
            default -> null;
        };
    }

    /** The Markdown body rendered as the public page will show it (sanitised), for the live preview. */
    @POST
    @Path("/articles/preview")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance preview(@RestForm String body) {
        return Templates.preview(renderer.toSafeHtml(BodyFormat.MARKDOWN, body == null ? "" : body));
    }

    @POST
    @Path("/articles")
    @RolesAllowed(Roles.EDITOR)
    public Response saveArticle(@RestForm Long id, @RestForm String title, @RestForm String summary, @RestForm String body,
            @RestForm String imageUrl, @RestForm String imageAlt, @RestForm String imageCaption, @RestForm String imageCredit,
            @RestForm List<String> topic, @RestForm String action, @RestForm String publishAt) {
        ArticleInput input = new ArticleInput(title, null, summary, body, id == null ? BodyFormat.MARKDOWN : null, imageUrl,
                imageAlt, imageCaption, imageCredit, null, topic == null ? List.of() : topic, null, null);
        Article saved;
        try {
            saved = id == null ? articles.create(input) : articles.update(id, input);
        } catch (ProblemException e) {
            Map<String, String> errors = FieldErrors.of(e, "form");
            ArticleForm form = new ArticleForm(id, title, summary, body, imageUrl, imageAlt, imageCaption, imageCredit,
                    topic == null ? List.of() : topic, null, null, null);
            return Response.status(400).entity(articlePage(form, errors, null)).build();
        }
        String notice = "saved";
        try {
            if ("publish".equals(action)) {
                articles.publishNow(saved.id);
                notice = "published";
            } else if ("schedule".equals(action)) {
                articles.schedule(saved.id, localTime(publishAt));
                notice = "scheduled";
            } else if ("unpublish".equals(action)) {
                articles.unpublish(saved.id);
                notice = "unpublished";
            }
        } catch (ProblemException e) {
            Article a = articles.find(saved.id).orElseThrow();
            return Response.status(e.status()).entity(articlePage(ArticleForm.of(a, site.baseUrl()), FieldErrors.of(e, "form"),
                    null)).build();
        }
        return Response.seeOther(URI.create("/admin/articles/" + saved.id + "?notice=" + notice)).build();
    }

    private Instant localTime(String value) {
        if (value == null || value.isBlank()) {
            throw ProblemException.invalid("publishAt", "choose when to publish");
        }
        try {
            return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid("publishAt", "must be a date and time");
        }
    }

    @POST
    @Path("/distributions/{id}/retry")
    @RolesAllowed(Roles.EDITOR)
    public Response retry(@PathParam("id") long id) {
        Distribution d = distributions.retry(id, false);
        return Response.seeOther(URI.create(d.articleId != null ? "/admin/articles/" + d.articleId + "?notice=retried" : "/admin"))
                .build();
    }

    // ---- outbox

    @GET
    @Path("/outbox")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance outbox() {
        Optional<java.nio.file.Path> dir = mail.outboxDirectory();
        List<OutboxMail> mails = new ArrayList<>();
        if (dir.isPresent() && Files.isDirectory(dir.get())) {
            try (DirectoryStream<java.nio.file.Path> files = Files.newDirectoryStream(dir.get(), "*.eml")) {
                for (java.nio.file.Path f : files) {
                    mails.add(summary(f));
                }
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read the outbox " + dir.get(), e);
            }
        }
        mails.sort(Comparator.comparing(OutboxMail::written).reversed());
        return Templates.outbox(chrome("outbox"), dir.map(java.nio.file.Path::toString).orElse(null),
                mails.size() > 200 ? mails.subList(0, 200) : mails);
    }

    @GET
    @Path("/outbox/{name}")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance outboxMail(@PathParam("name") String name) {
        java.nio.file.Path file = outboxFile(name);
        try (InputStream in = Files.newInputStream(file)) {
            MimeMessage message = new MimeMessage(Session.getInstance(new java.util.Properties()), in);
            String[] parts = new String[2];
            collect(message, parts);
            return Templates.outboxMail(chrome("outbox"), summary(file), parts[0], parts[1]);
        } catch (IOException | jakarta.mail.MessagingException e) {
            throw new IllegalStateException("Cannot read " + file, e);
        }
    }

    private java.nio.file.Path outboxFile(String name) {
        java.nio.file.Path dir = mail.outboxDirectory().orElseThrow(() -> ProblemException.notFound("The outbox"));
        if (!OUTBOX_NAME.matcher(name).matches() || !Files.isRegularFile(dir.resolve(name))) {
            throw ProblemException.notFound("Mail " + name);
        }
        return dir.resolve(name);
    }

    private static void collect(Part part, String[] htmlAndText) throws IOException, jakarta.mail.MessagingException {
        if (part.isMimeType("text/html") && htmlAndText[0] == null) {
            htmlAndText[0] = part.getContent().toString();
        } else if (part.isMimeType("text/plain") && htmlAndText[1] == null) {
            htmlAndText[1] = part.getContent().toString();
        } else if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                collect(child, htmlAndText);
            }
        }
    }

    private static OutboxMail summary(java.nio.file.Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MimeMessage m = new MimeMessage(Session.getInstance(new java.util.Properties()), in);
            return new OutboxMail(file.getFileName().toString(), m.getSubject(), String.join(", ",
                    Arrays.stream(Optional.ofNullable(m.getAllRecipients()).orElse(new jakarta.mail.Address[0]))
                            .map(Object::toString).toList()),
                    Files.getLastModifiedTime(file).toInstant(), Files.size(file));
        } catch (IOException | jakarta.mail.MessagingException e) {
            return new OutboxMail(file.getFileName().toString(), "(unreadable)", "", Instant.EPOCH, 0);
        }
    }
}
