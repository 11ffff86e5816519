package dev.gazette.admin.web;

import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import dev.gazette.article.Article;
import dev.gazette.article.ArticleInput;
import dev.gazette.article.ArticleService;
import dev.gazette.article.ArticleStatus;
import dev.gazette.article.BodyFormat;
import dev.gazette.article.Topic;
import dev.gazette.article.TopicService;
import dev.gazette.article.media.MediaService;
import dev.gazette.article.web.ArticlePreviews;
import dev.gazette.common.config.SiteConfig;
import dev.gazette.common.error.Problem;
import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import dev.gazette.social.Distribution;
import dev.gazette.social.DistributionService;
import dev.gazette.social.SocialPreview;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The editor UI's articles: the list, the editor with its live preview and what each channel will post, saving,
 * publishing and scheduling, and retrying a post.
 */
@Path("/admin")
@Produces(MediaType.TEXT_HTML)
public class ArticleEditorPages {

    private static final int PAGE = 50;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance articles(AdminChrome chrome, List<Article> articles, String q, String status,
                List<ArticleStatus> statuses, int limit);

        static native TemplateInstance article(AdminChrome chrome, ArticleForm form, List<Topic> topics,
                Map<String, String> errors, String notice, List<SocialPreview.ChannelPreview> previews,
                List<DistributionService.Described> posts, ArticlePreviews.Link previewLink);
    }

    /**
     * An article as the editor form holds it. {@code live} says the saved article is on the site, so saving updates
     * the public page at once.
     */
    public record ArticleForm(Long id, String title, String summary, String body, String imageUrl, String imageAlt,
            String imageCaption, String imageCredit, List<String> topics, ArticleStatus status, String slug, String publicUrl,
            String author, boolean live, Instant publishAt) {

        static ArticleForm of(Article a, String baseUrl) {
            return new ArticleForm(a.id, a.title, a.summary, a.bodySource, a.imageUrl, a.imageAlt, a.imageCaption, a.imageCredit,
                    a.topics.stream().map(t -> t.slug).toList(), a.status, a.slug, baseUrl + "/articles/" + a.slug, a.author,
                    a.isPublished(), a.status == ArticleStatus.SCHEDULED ? a.publishAt : null);
        }

        /** The values as typed, on an article whose saved state is {@code saved} (null for a new one). */
        ArticleForm typed(ArticleForm saved) {
            return saved == null ? this : new ArticleForm(id, title, summary, body, imageUrl, imageAlt, imageCaption,
                    imageCredit, topics, saved.status, saved.live ? saved.slug : slug, saved.publicUrl, author, saved.live,
                    saved.publishAt);
        }
    }

    private final AdminContext context;
    private final ArticleService articles;
    private final MediaService media;
    private final TopicService topics;
    private final DistributionService distributions;
    private final SocialPreview socialPreview;
    private final SiteConfig site;
    private final ArticlePreviews articlePreviews;

    ArticleEditorPages(AdminContext context, ArticleService articles, MediaService media, TopicService topics,
            DistributionService distributions, SocialPreview socialPreview, SiteConfig site, ArticlePreviews articlePreviews) {
        this.context = context;
        this.articles = articles;
        this.media = media;
        this.topics = topics;
        this.distributions = distributions;
        this.socialPreview = socialPreview;
        this.site = site;
        this.articlePreviews = articlePreviews;
    }

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
        return Templates.articles(context.chrome("articles"), list, q == null ? "" : q, wanted == null ? "" : wanted.name(),
                Arrays.asList(ArticleStatus.values()), PAGE);
    }

    @GET
    @Path("/articles/new")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance newArticle() {
        return articlePage(new ArticleForm(null, "", "", "", "", "", "", "", List.of(), null, "", null, "", false, null), Map.of(),
                null);
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
        List<DistributionService.Described> posts = form.id() == null ? List.of() : distributions.describe(distributions.list(
                new DistributionService.Filter(form.id(), null, null, null), null, 100));
        // Drafts and scheduled articles get a private link to share; a live article has its public address.
        ArticlePreviews.Link link = form.id() == null || form.live() || form.status() == null ? null
                : articlePreviews.link(form.id());
        return Templates.article(context.chrome("articles"), form, topics.list(), errors, noticeText(notice), previews, posts,
                link);
    }

    private static String noticeText(String notice) {
        if (notice == null) {
            return null;
        }
        return switch (notice) {
            case "saved" -> "Saved.";
            case "updated" -> "Updated. The article on the site shows the changes now.";
            case "published" -> "Published. The article is on the site, and its posts are queued.";
            case "scheduled" -> "Scheduled.";
            case "unpublished" -> "Unpublished.";
            case "retried" -> "The post is queued again.";
            default -> null;
        };
    }

    /** The editor's form without a file (and the form as scripts and tests send it). */
    @POST
    @Path("/articles")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.EDITOR)
    public Response saveArticle(@RestForm Long id, @RestForm String title, @RestForm String summary, @RestForm String body,
            @RestForm String imageUrl, @RestForm String imageAlt, @RestForm String imageCaption, @RestForm String imageCredit,
            @RestForm List<String> topic, @RestForm String action, @RestForm String publishAt, @RestForm String author,
            @RestForm String slug) {
        ArticleForm typed = new ArticleForm(id, title, summary, body, imageUrl, imageAlt, imageCaption, imageCredit,
                topic == null ? List.of() : topic, null, slug, null, author, false, null);
        return save(typed, action, publishAt, null);
    }

    /**
     * The editor's form as the browser sends it, with a lead image file when one is chosen: the image is checked and
     * stored first and becomes the article's lead image; if the image or the article is refused, nothing is kept.
     */
    @POST
    @Path("/articles")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @RolesAllowed(Roles.EDITOR)
    public Response saveArticleWithImage(@RestForm Long id, @RestForm String title, @RestForm String summary,
            @RestForm String body, @RestForm String imageUrl, @RestForm String imageAlt, @RestForm String imageCaption,
            @RestForm String imageCredit, @RestForm List<String> topic, @RestForm String action, @RestForm String publishAt,
            @RestForm String author, @RestForm String slug, @RestForm("imageFile") FileUpload imageFile) {
        ArticleForm typed = new ArticleForm(id, title, summary, body, imageUrl, imageAlt, imageCaption, imageCredit,
                topic == null ? List.of() : topic, null, slug, null, author, false, null);
        if (imageFile == null || imageFile.fileName() == null || imageFile.fileName().isBlank()) {
            return save(typed, action, publishAt, null);
        }
        if (imageAlt == null || imageAlt.isBlank()) {
            return refused(typed, new ProblemException(400, "Bad Request", "The request is not valid.", List.of(
                    new Problem.Violation("imageAlt", "must describe the image for readers who cannot see it"),
                    new Problem.Violation("imageFile", "choose the file again once the alt text is written:"
                            + " nothing was uploaded"))));
        }
        MediaService.Stored stored;
        try {
            stored = media.store(imageFile.uploadedFile(), "imageFile");
        } catch (ProblemException e) {
            return refused(typed, e);
        }
        return save(typed, action, publishAt, stored);
    }

    /** Saves the form, with {@code upload}, when there is one, as its lead image; then publishes or schedules it. */
    private Response save(ArticleForm typed, String action, String publishAt, MediaService.Stored upload) {
        Long id = typed.id();
        String slug = typed.slug();
        // A blank slug leaves it as is (a new article gets one made from its title).
        ArticleInput input = new ArticleInput(typed.title(), slug == null || slug.isBlank() ? null : slug, typed.summary(),
                typed.body(), id == null ? BodyFormat.MARKDOWN : null, upload != null ? upload.url() : typed.imageUrl(), typed.imageAlt(), typed.imageCaption(),
                typed.imageCredit(), typed.author() == null ? "" : typed.author(), typed.topics(), null, null);
        Article saved;
        try {
            saved = id == null ? articles.create(input) : articles.update(id, input);
        } catch (ProblemException e) {
            media.discard(upload);
            if (e.status() == 404) {
                throw e;
            }
            return refused(typed, e, upload != null);
        }
        String notice = saved.isPublished() ? "updated" : "saved";
        try {
            if ("publish".equals(action)) {
                articles.publishNow(saved.id);
                notice = "published";
            } else if ("schedule".equals(action)) {
                articles.schedule(saved.id, context.time().parseLocal("publishAt", publishAt));
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

    private Response refused(ArticleForm typed, ProblemException e) {
        return refused(typed, e, false);
    }

    /** The form again, as typed, with the problems next to their fields; {@code imageDropped}: a chosen file was not kept. */
    private Response refused(ArticleForm typed, ProblemException e, boolean imageDropped) {
        Map<String, String> errors = new HashMap<>(FieldErrors.of(e, "form"));
        if (imageDropped) {
            errors.putIfAbsent("imageFile", "choose the file again once the problems above are put right: nothing was uploaded");
        }
        ArticleForm current = typed.id() == null ? null
                : articles.find(typed.id()).map(a -> ArticleForm.of(a, site.baseUrl())).orElse(null);
        return Response.status(e.status()).entity(articlePage(typed.typed(current), errors, null)).build();
    }

    /** The saved article as its public page will look (or looks), lead image, body and all. */
    @GET
    @Path("/articles/{id}/preview")
    @RolesAllowed(Roles.EDITOR)
    public Response fullPreview(@PathParam("id") long id) {
        String html = articlePreviews.forEditor(id).orElseThrow(() -> ProblemException.notFound("Article " + id));
        return Response.ok(html).header("Cache-Control", "private, no-store").build();
    }

    @POST
    @Path("/distributions/{id}/retry")
    @RolesAllowed(Roles.EDITOR)
    public Response retry(@PathParam("id") long id) {
        Distribution d = distributions.retry(id, false);
        return Response.seeOther(URI.create(d.articleId != null ? "/admin/articles/" + d.articleId + "?notice=retried" : "/admin"))
                .build();
    }
}
