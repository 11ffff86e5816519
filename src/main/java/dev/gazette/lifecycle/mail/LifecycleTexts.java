package dev.gazette.lifecycle.mail;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gazette.article.ArticleRenderer;
import dev.gazette.article.BodyFormat;
import dev.gazette.common.EditorTemplates;
import dev.gazette.common.EmailAddresses;
import dev.gazette.common.config.SiteConfig;
import dev.gazette.common.error.Problem;
import dev.gazette.mail.HeaderFields;
import dev.gazette.mail.MailService;
import dev.gazette.subscriber.Subscriber;
import dev.gazette.subscriber.SubscriberLinks;
import io.quarkus.mailer.Mail;

/**
 * What every lifecycle message shares: a subject and a Markdown body that editors write with the documented values
 * (the reader's name, the site, the reader's topics, the preferences and unsubscribe links, and a flow's own), checked
 * when saved; the message as one reader gets it, in the lifecycle frame with the footer and postal address; and the
 * headers of bulk mail. Previews and test sends render for a reader chosen by address, or a sample reader.
 */
@ApplicationScoped
public class LifecycleTexts {

    /** The values every lifecycle message may use. */
    public static final Set<String> VALUES = Set.of("name", "site", "topics", "preferencesUrl", "unsubscribeUrl");
    static final int MAX_SUBJECT = 300;
    static final int MAX_BODY = 20_000;

    /** A message as written: a subject and a Markdown body, both templates. */
    public record Text(String subject, String body) {
    }

    /** A message rendered for one reader. */
    public record Rendered(String subject, String html, String text) {
    }

    private final ArticleRenderer renderer;
    private final SubscriberLinks links;
    private final SiteConfig site;
    private final MailService mail;
    private final String host;
    private final Map<Set<String>, EditorTemplates> engines = new ConcurrentHashMap<>();

    LifecycleTexts(ArticleRenderer renderer, SubscriberLinks links, SiteConfig site, MailService mail) {
        this.renderer = renderer;
        this.links = links;
        this.site = site;
        this.mail = mail;
        this.host = URI.create(site.baseUrl()).getHost();
    }

    private EditorTemplates engine(Set<String> extra) {
        return engines.computeIfAbsent(Set.copyOf(extra), names -> {
            Set<String> all = new HashSet<>(VALUES);
            all.addAll(names);
            return new EditorTemplates(all);
        });
    }

    /**
     * What is wrong with a message as typed (blank, too long, a template that cannot be rendered, a subject that would
     * break the header), each naming its field; empty when it can be saved. {@code sample} gives the flow's own values.
     */
    public List<Problem.Violation> problems(Text text, Map<String, Object> sample) {
        EditorTemplates engine = engine(sample.keySet());
        Map<String, Object> values = values(sampleReader(), sample);
        List<Problem.Violation> problems = new ArrayList<>();
        String subject = strip(text.subject());
        String body = strip(text.body());
        if (subject.isEmpty()) {
            problems.add(new Problem.Violation("subject", "must not be blank"));
        } else if (subject.length() > MAX_SUBJECT) {
            problems.add(new Problem.Violation("subject", "must be at most " + MAX_SUBJECT + " characters"));
        } else {
            String problem = engine.problem(subject);
            if (problem != null) {
                problems.add(new Problem.Violation("subject", problem));
            } else if (HeaderFields.hasControlCharacters(engine.render(subject, values))) {
                problems.add(new Problem.Violation("subject", HeaderFields.CONTROL_CHARACTERS));
            }
        }
        if (body.isEmpty()) {
            problems.add(new Problem.Violation("body", "must not be blank"));
        } else if (body.length() > MAX_BODY) {
            problems.add(new Problem.Violation("body", "must be at most " + MAX_BODY + " characters"));
        } else {
            String problem = engine.problem(body);
            if (problem != null) {
                problems.add(new Problem.Violation("body", problem));
            } else {
                try {
                    renderer.toSafeHtml(BodyFormat.MARKDOWN, engine.render(body, values));
                } catch (ArticleRenderer.TooComplex e) {
                    problems.add(new Problem.Violation("body", e.getMessage()));
                }
            }
        }
        return problems;
    }

    static String strip(String s) {
        return s == null ? "" : s.strip();
    }

    private Map<String, Object> values(Subscriber reader, Map<String, Object> extra) {
        String topics = reader.allTopics || reader.topics == null || reader.topics.isEmpty() ? "every topic"
                : String.join(", ", reader.topics.stream().map(t -> t.name).toList());
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", reader.name == null ? "" : reader.name);
        values.put("site", site.name());
        values.put("topics", topics);
        values.put("preferencesUrl", links.preferencesUrl(reader.id));
        values.put("unsubscribeUrl", links.unsubscribeUrl(reader.id));
        values.putAll(extra);
        return values;
    }

    /**
     * The message as this reader gets it: the editor's text with the values filled in, then {@code appendix} (Markdown
     * the flow adds, such as the latest articles; may be empty), in the lifecycle frame.
     */
    public Rendered render(Text text, Subscriber reader, Map<String, Object> extra, String appendix) {
        EditorTemplates engine = engine(extra.keySet());
        Map<String, Object> values = values(reader, extra);
        String body = engine.render(text.body(), values);
        if (appendix != null && !appendix.isBlank()) {
            body = body.stripTrailing() + "\n\n" + appendix.strip() + "\n";
        }
        String html = renderer.toSafeHtml(BodyFormat.MARKDOWN, body);
        String subject = HeaderFields.flatten(engine.render(text.subject(), values));
        String preferences = links.preferencesUrl(reader.id);
        String unsubscribe = links.unsubscribeUrl(reader.id);
        return new Rendered(subject, LifecycleTemplates.html(site, html, preferences, unsubscribe),
                LifecycleTemplates.text(site, body, preferences, unsubscribe));
    }

    /**
     * The mail to send, with the headers of bulk mail: one-click unsubscribe, a List-Id per kind, a Message-ID naming
     * the ledger row ({@code id}; 0 for a test).
     */
    public Mail message(Rendered rendered, String to, long readerId, LifecycleMessage.Kind kind, long id) {
        String token = links.unsubscribeToken(readerId);
        String name = kind.name().toLowerCase(Locale.ROOT);
        return new Mail().setTo(List.of(to)).setSubject(rendered.subject()).setText(rendered.text()).setHtml(rendered.html())
                .addHeader("List-Unsubscribe", "<" + links.unsubscribeUrl(token) + ">")
                .addHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
                .addHeader("List-Id", HeaderFields.flatten(site.name()).replaceAll("[<>\"]", " ").strip() + " <" + name + "." + host + ">")
                .addHeader("Auto-Submitted", "auto-generated")
                .addHeader("Message-ID", "<" + name + "-" + id + ".subscriber-" + readerId + "@" + host + ">");
    }

    /** Sends a rendered message to {@code to}, marked as a test; nothing is recorded. */
    public void sendTest(Rendered rendered, long readerId, LifecycleMessage.Kind kind, String to) {
        mail.send(message(new Rendered("[Test] " + rendered.subject(), rendered.html(), rendered.text()), to, readerId, kind, 0),
                "test");
    }

    /**
     * The reader a preview or test is rendered for: the one with this address, or a sample reader (Ana, following
     * every topic) when it is blank; empty when no reader has it. Call it inside a transaction.
     */
    public Optional<Subscriber> reader(String address) {
        if (address == null || address.isBlank()) {
            return Optional.of(sampleReader());
        }
        return EmailAddresses.normalise(address.strip()).map(EmailAddresses::key).flatMap(Subscriber::findByEmailKey);
    }

    private static Subscriber sampleReader() {
        Subscriber sample = new Subscriber();
        sample.id = 0L;
        sample.name = "Ana";
        sample.allTopics = true;
        return sample;
    }
}
