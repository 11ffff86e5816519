package dev.gazette.lifecycle.mail;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.gazette.article.ArticleRenderer;
import dev.gazette.article.BodyFormat;
import dev.gazette.common.EditorTemplates;
import dev.gazette.common.EmailAddresses;
import dev.gazette.common.config.SiteConfig;
import dev.gazette.common.error.Problem;
import dev.gazette.common.error.ProblemException;
import dev.gazette.mail.HeaderFields;
import dev.gazette.mail.MailService;
import dev.gazette.subscriber.Subscriber;
import dev.gazette.subscriber.SubscriberLinks;
import io.quarkus.mailer.Mail;

/**
 * The welcome mail a reader gets once after confirming (site-wide, off until an editor switches it on): its text,
 * checked when saved, and the message as a reader receives it, with the list headers bulk mail needs and the site's
 * postal address. The lifecycle job ({@link LifecycleMailJob}) plans and sends it.
 */
@ApplicationScoped
public class WelcomeMail {

    static final EditorTemplates SUBJECTS = new EditorTemplates(Set.of("name", "site"));
    static final EditorTemplates BODIES = new EditorTemplates(Set.of("name", "site", "topics", "preferencesUrl", "unsubscribeUrl"));
    static final String DEFAULT_SUBJECT = "Welcome to {site}";
    static final String DEFAULT_BODY = """
            Hello{#if name} {name}{/if},

            thank you for confirming: you will get our newsletters on {topics}.

            You can change your topics, how often you hear from us and your time zone at any time: {preferencesUrl}
            """;
    static final int MAX_BODY = 20_000;

    /** The welcome as saved. */
    public record Settings(boolean enabled, String subject, String body, Instant enabledSince) {
    }

    /** A message rendered for one reader. */
    public record Rendered(String subject, String html, String text) {
    }

    private final ArticleRenderer renderer;
    private final SubscriberLinks links;
    private final SiteConfig site;
    private final MailService mail;
    private final Clock clock;
    private final String host;

    WelcomeMail(ArticleRenderer renderer, SubscriberLinks links, SiteConfig site, MailService mail, Clock clock) {
        this.renderer = renderer;
        this.links = links;
        this.site = site;
        this.mail = mail;
        this.clock = clock;
        this.host = URI.create(site.baseUrl()).getHost();
    }

    @Transactional
    public Settings settings() {
        return LifecycleMessage.find(LifecycleMessage.Kind.WELCOME)
                .map(m -> new Settings(m.enabled, m.subject, m.bodyMarkdown, m.enabledSince))
                .orElse(new Settings(false, DEFAULT_SUBJECT, DEFAULT_BODY, null));
    }

    /** Saves the welcome; refused naming the field (with the template's line) when it cannot be rendered. */
    @Transactional
    public Settings save(Settings in) {
        Settings checked = check(in);
        Instant now = clock.instant();
        LifecycleMessage m = LifecycleMessage.find(LifecycleMessage.Kind.WELCOME).orElseGet(() -> {
            LifecycleMessage created = new LifecycleMessage();
            created.kind = LifecycleMessage.Kind.WELCOME;
            created.created(now);
            return created;
        });
        if (checked.enabled() && !m.enabled) {
            // from now on: switching it on does not mail every reader already subscribed
            m.enabledSince = now;
        }
        m.enabled = checked.enabled();
        m.subject = checked.subject();
        m.bodyMarkdown = checked.body();
        m.updatedAt = now;
        m.persist();
        return new Settings(m.enabled, m.subject, m.bodyMarkdown, m.enabledSince);
    }

    /** The welcome as typed, stripped, or refused naming the field when it cannot be rendered. */
    public Settings check(Settings in) {
        List<Problem.Violation> problems = new ArrayList<>();
        String subject = in.subject() == null ? "" : in.subject().strip();
        String body = in.body() == null ? "" : in.body().strip();
        if (subject.isEmpty()) {
            problems.add(new Problem.Violation("subject", "must not be blank"));
        } else if (subject.length() > 300) {
            problems.add(new Problem.Violation("subject", "must be at most 300 characters"));
        } else {
            String problem = SUBJECTS.problem(subject);
            if (problem != null) {
                problems.add(new Problem.Violation("subject", problem));
            } else if (HeaderFields.hasControlCharacters(SUBJECTS.render(subject, sample()))) {
                problems.add(new Problem.Violation("subject", HeaderFields.CONTROL_CHARACTERS));
            }
        }
        if (body.isEmpty()) {
            problems.add(new Problem.Violation("body", "must not be blank"));
        } else if (body.length() > MAX_BODY) {
            problems.add(new Problem.Violation("body", "must be at most " + MAX_BODY + " characters"));
        } else {
            String problem = BODIES.problem(body);
            if (problem != null) {
                problems.add(new Problem.Violation("body", problem));
            } else {
                try {
                    renderer.toSafeHtml(BodyFormat.MARKDOWN, BODIES.render(body, sample()));
                } catch (ArticleRenderer.TooComplex e) {
                    problems.add(new Problem.Violation("body", e.getMessage()));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ProblemException(400, "Bad Request", "The welcome mail was not saved.", problems);
        }
        return new Settings(in.enabled(), subject, body, null);
    }

    private Map<String, Object> sample() {
        return values("Ana", "World, Science", links.preferencesUrl(0), links.unsubscribeUrl(0));
    }

    private Map<String, Object> values(String name, String topics, String preferencesUrl, String unsubscribeUrl) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", name == null ? "" : name);
        values.put("site", site.name());
        values.put("topics", topics);
        values.put("preferencesUrl", preferencesUrl);
        values.put("unsubscribeUrl", unsubscribeUrl);
        return values;
    }

    /** The message as this reader gets it, from {@code settings} (saved or as typed, already checked). */
    public Rendered render(Settings settings, Subscriber reader) {
        String topics = reader.allTopics || reader.topics.isEmpty() ? "every topic"
                : String.join(", ", reader.topics.stream().map(t -> t.name).toList());
        Map<String, Object> values = values(reader.name, topics, links.preferencesUrl(reader.id), links.unsubscribeUrl(reader.id));
        String text = BODIES.render(settings.body(), values);
        String html = renderer.toSafeHtml(BodyFormat.MARKDOWN, text);
        String subject = HeaderFields.flatten(SUBJECTS.render(settings.subject(), values));
        return new Rendered(subject, LifecycleTemplates.html(site, html, links.preferencesUrl(reader.id),
                links.unsubscribeUrl(reader.id)), LifecycleTemplates.text(site, text, links.preferencesUrl(reader.id),
                        links.unsubscribeUrl(reader.id)));
    }

    /** The message to send, with the headers of bulk mail; {@code id} names it (the ledger row, 0 for a test). */
    Mail message(Rendered rendered, String to, long readerId, long id) {
        String token = links.unsubscribeToken(readerId);
        return new Mail().setTo(List.of(to)).setSubject(rendered.subject()).setText(rendered.text()).setHtml(rendered.html())
                .addHeader("List-Unsubscribe", "<" + links.unsubscribeUrl(token) + ">")
                .addHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
                .addHeader("List-Id", HeaderFields.flatten(site.name()).replaceAll("[<>\"]", " ").strip() + " <welcome." + host + ">")
                .addHeader("Auto-Submitted", "auto-generated")
                .addHeader("Message-ID", "<welcome-" + id + ".subscriber-" + readerId + "@" + host + ">");
    }

    /**
     * The message as the reader with this address would get it (a sample reader, Ana, following every topic, when
     * the address is blank); empty when no reader has it.
     */
    @Transactional
    public java.util.Optional<Rendered> preview(Settings settings, String address) {
        return reader(address).map(r -> render(settings, r));
    }

    /** Sends a test of the welcome, as the reader with {@code address} (or the sample reader) would get it, to {@code to}. */
    @Transactional
    public boolean test(Settings settings, String address, String to) {
        java.util.Optional<Subscriber> reader = reader(address);
        reader.ifPresent(r -> test(settings, r, to));
        return reader.isPresent();
    }

    private java.util.Optional<Subscriber> reader(String address) {
        if (address == null || address.isBlank()) {
            Subscriber sample = new Subscriber();
            sample.id = 0L;
            sample.name = "Ana";
            sample.allTopics = true;
            return java.util.Optional.of(sample);
        }
        return EmailAddresses.normalise(address.strip()).map(EmailAddresses::key).flatMap(Subscriber::findByEmailKey);
    }

    /** Sends the welcome as {@code reader} would get it to {@code to}, marked as a test; nothing is recorded. */
    private void test(Settings settings, Subscriber reader, String to) {
        Rendered r = render(settings, reader);
        mail.send(message(new Rendered("[Test] " + r.subject(), r.html(), r.text()), to, reader.id, 0), "test");
    }
}
