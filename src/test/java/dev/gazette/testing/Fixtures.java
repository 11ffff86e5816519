package dev.gazette.testing;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Singleton;

import dev.gazette.admin.ApiTokenService;
import dev.gazette.admin.UserService;
import dev.gazette.article.Article;
import dev.gazette.article.ArticleInput;
import dev.gazette.article.ArticleService;
import dev.gazette.article.Topic;
import dev.gazette.article.TopicService;
import dev.gazette.common.security.Roles;
import dev.gazette.digest.Cadence;
import dev.gazette.digest.IssueService;
import dev.gazette.digest.NewsletterInput;
import dev.gazette.digest.NewsletterService;
import dev.gazette.subscriber.ConsentSource;
import dev.gazette.subscriber.Frequency;
import dev.gazette.subscriber.Subscriber;
import dev.gazette.subscriber.SubscriberEvent;
import dev.gazette.subscriber.SubscriberStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Test data built through the application's own services.
 */
@Singleton
public class Fixtures {

    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "admin-password-for-tests";
    public static final String EDITOR = "editor";
    public static final String EDITOR_PASSWORD = "editor-password-for-tests";

    private final UserService users;
    private final ApiTokenService tokens;
    private final TopicService topics;
    private final ArticleService articles;
    private final NewsletterService newsletters;
    private final IssueService issues;

    private final Clock clock;

    Fixtures(UserService users, ApiTokenService tokens, TopicService topics, ArticleService articles,
            NewsletterService newsletters, IssueService issues, Clock clock) {
        this.clock = clock;
        this.newsletters = newsletters;
        this.issues = issues;
        this.users = users;
        this.tokens = tokens;
        this.topics = topics;
        this.articles = articles;
    }

    public Topic topic(String name, String slug) {
        return topics.create(name, slug, "All about " + name + ".");
    }

    /** A draft with the given title, body and topics. */
    public Article draft(String title, String markdown, String... topicSlugs) {
        return articles.create(new ArticleInput(title, null, "Summary of " + title, markdown, null, null, null, null,
                null, "Ana Ruiz", List.of(topicSlugs), null, null));
    }

    /** A confirmed reader following all topics, as the double opt-in leaves them. */
    public Subscriber activeSubscriber(String email) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = clock.instant();
            Subscriber s = new Subscriber();
            s.email = email;
            s.emailKey = email.toLowerCase(java.util.Locale.ROOT);
            s.status = SubscriberStatus.ACTIVE;
            s.allTopics = true;
            s.frequency = Frequency.WEEKLY;
            s.timezone = "UTC";
            s.consentSource = ConsentSource.FORM;
            s.consentAt = now;
            s.confirmedAt = now;
            s.created(now);
            s.persist();
            SubscriberEvent.record(s.id, "CONFIRMED", null, now);
            return s;
        });
    }

    /** A confirmed reader with their own time zone, frequency and topics (all topics when none are given). */
    public Subscriber reader(String email, String timezone, Frequency frequency, String... topicSlugs) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Subscriber s = Subscriber.findById(activeSubscriber(email).id);
            s.timezone = timezone;
            s.frequency = frequency;
            s.allTopics = topicSlugs.length == 0;
            s.topics.addAll(Topic.findBySlugs(List.of(topicSlugs)));
            return s;
        });
    }

    /** A published article with the given title, body and topics. */
    public Article published(String title, String markdown, String... topicSlugs) {
        return articles.publishNow(draft(title, markdown, topicSlugs).id);
    }

    public ArticleService articles() {
        return articles;
    }

    /** A daily newsletter and one issue of it sent now; returns the issue's id. */
    public long digestIssue(String name, String slug) {
        long newsletter = newsletters.create(new NewsletterInput(name, slug, "The world, briefly.", List.of(), Cadence.DAILY,
                null, "07:00", "Gazette", "news@news.example.org", null, null, null, null, null, null, null)).id;
        return issues.sendManual(newsletter, null, null, "tests").issue().id;
    }

    public void admin() {
        users.create(ADMIN, ADMIN_PASSWORD, Roles.ADMIN);
    }

    /** Creates the administrator and returns a fresh API token of theirs. */
    public String adminToken() {
        admin();
        return tokens.issue(ADMIN, "tests", null).secret();
    }

    /** A fresh API token of the administrator made by {@link #admin()}. */
    public String adminTokenForExistingAdmin() {
        return tokens.issue(ADMIN, "tests", null).secret();
    }

    /** Creates an editor and returns a fresh API token of theirs. */
    public String editorToken() {
        users.create(EDITOR, EDITOR_PASSWORD, Roles.EDITOR);
        return tokens.issue(EDITOR, "tests", null).secret();
    }
}
