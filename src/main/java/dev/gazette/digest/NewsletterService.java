package dev.gazette.digest;

import java.net.URI;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import dev.gazette.article.media.MediaService;
import dev.gazette.article.Slugs;
import dev.gazette.article.Topic;
import dev.gazette.common.config.SiteConfig;
import dev.gazette.common.error.Problem;
import dev.gazette.common.error.ProblemException;
import dev.gazette.mail.HeaderFields;
import io.quarkus.logging.Log;
import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.StartupEvent;

/**
 * Newsletters: what editors configure. Issues and deliveries belong to {@link IssueService} and the planner.
 */
@ApplicationScoped
public class NewsletterService {

    private final SiteConfig site;
    private final Clock clock;
    private final dev.gazette.article.TopicService topics;
    private final MediaService media;

    NewsletterService(SiteConfig site, Clock clock, dev.gazette.article.TopicService topics, MediaService media) {
        this.topics = topics;
        this.media = media;
        this.site = site;
        this.clock = clock;
    }

    @Transactional
    public List<Newsletter> list() {
        return Newsletter.list("select distinct n from Newsletter n left join fetch n.topics", Sort.by("n.name"));
    }

    @Transactional
    public Optional<Newsletter> find(long id) {
        return Newsletter.findWithTopics(id);
    }

    @Transactional
    public Newsletter get(long id) {
        return find(id).orElseThrow(() -> ProblemException.notFound("Newsletter " + id));
    }

    /**
     * Makes the uploaded image the newsletter's logo (checked as lead images are: JPEG, PNG or WebP, size and pixels
     * capped; refused naming {@code logo}), fitted into 480×160 for the digest's header.
     */
    @Transactional
    public Newsletter setLogo(long id, java.nio.file.Path upload) {
        Newsletter n = get(id);
        MediaService.Stored logo = media.storeLogo(upload, "logo");
        n.logoUrl = logo.url();
        n.updatedAt = clock.instant();
        return n;
    }

    @Transactional
    public Newsletter removeLogo(long id) {
        Newsletter n = Newsletter.findById(id);
        if (n == null) {
            throw ProblemException.notFound("Newsletter " + id);
        }
        n.logoUrl = null;
        n.updatedAt = clock.instant();
        return n;
    }

    @Transactional
    public Newsletter create(NewsletterInput in) {
        List<Problem.Violation> problems = new ArrayList<>();
        require(in.name(), "name", problems);
        require(in.cadence(), "cadence", problems);
        require(in.sendTime(), "sendTime", problems);
        require(in.fromAddress(), "fromAddress", problems);
        if (in.cadence() == Cadence.WEEKLY) {
            require(in.weeklyDay(), "weeklyDay", problems);
        }
        Newsletter n = new Newsletter();
        n.slug = in.slug() != null && !in.slug().isBlank() ? in.slug().trim() : Slugs.from(in.name() == null ? "" : in.name(), "newsletter", 100);
        n.maxItems = 10;
        n.template = DigestTemplate.STANDARD;
        n.weeklyDay = DayOfWeek.MONDAY;
        n.active = true;
        apply(n, in, problems);
        if (!problems.isEmpty()) {
            throw new ProblemException(400, "Bad Request", "The newsletter is not valid.", problems);
        }
        n.created(clock.instant());
        n.persist();
        return n;
    }

    @Transactional
    public Newsletter update(long id, NewsletterInput in) {
        Newsletter n = get(id);
        List<Problem.Violation> problems = new ArrayList<>();
        if (in.slug() != null && !in.slug().isBlank()) {
            n.slug = in.slug().trim();
        }
        apply(n, in, problems);
        if (!problems.isEmpty()) {
            throw new ProblemException(400, "Bad Request", "The newsletter is not valid.", problems);
        }
        n.updatedAt = clock.instant();
        return n;
    }

    @Transactional
    public void delete(long id) {
        Newsletter n = get(id);
        if (DigestIssue.count("newsletterId = ?1 and status in ?2", id, List.of(IssueStatus.SENDING, IssueStatus.PAUSED)) > 0) {
            throw ProblemException.conflict("id", "The newsletter has an issue in progress: cancel it first, or set active to false.");
        }
        n.delete();
    }

    private void apply(Newsletter n, NewsletterInput in, List<Problem.Violation> problems) {
        if (!Slugs.isValid(n.slug)) {
            problems.add(new Problem.Violation("slug", "must be lower-case letters, digits and single hyphens"));
        } else if (Newsletter.count("slug = ?1 and id <> ?2", n.slug, n.id == null ? -1L : n.id) > 0) {
            throw ProblemException.conflict("slug", "The slug " + n.slug + " is taken.");
        }
        if (in.name() != null) {
            n.name = in.name().strip();
        }
        if (in.description() != null) {
            n.description = in.description().isBlank() ? null : in.description().strip();
        }
        if (in.topics() != null) {
            n.topics = Topic.resolve(in.topics(), problems);
            n.allTopics = n.topics.isEmpty();
        } else if (n.id == null) {
            n.allTopics = true;
        }
        if (in.cadence() != null) {
            n.cadence = in.cadence();
        }
        if (in.weeklyDay() != null) {
            n.weeklyDay = DayOfWeek.valueOf(in.weeklyDay().toUpperCase(Locale.ROOT));
        }
        if (in.sendTime() != null) {
            n.sendTime = LocalTime.parse(in.sendTime());
        }
        if (in.fromName() != null) {
            n.fromName = in.fromName().strip();
        }
        if (in.fromAddress() != null) {
            n.fromAddress = in.fromAddress().strip();
        }
        if (in.replyTo() != null) {
            n.replyTo = in.replyTo().isBlank() ? null : in.replyTo().strip();
        }
        if (in.listId() != null) {
            n.listId = in.listId().toLowerCase(Locale.ROOT);
        } else if (n.listId == null) {
            n.listId = n.slug + "." + URI.create(site.baseUrl()).getHost();
        }
        if (n.fromName == null && n.id == null) {
            n.fromName = site.name();
        }
        if (in.maxItems() != null) {
            n.maxItems = in.maxItems();
        }
        if (in.template() != null) {
            n.template = in.template();
        }
        if (in.trackLinks() != null) {
            n.trackLinks = in.trackLinks();
        }
        if (in.trackOpens() != null) {
            n.trackOpens = in.trackOpens();
        }
        if (in.active() != null) {
            n.active = in.active();
        }
        if (in.accentColor() != null) {
            n.accentColor = in.accentColor().isBlank() ? null : in.accentColor().strip().toLowerCase(Locale.ROOT);
            String problem = n.accentColor == null ? null : Colours.tooLightOnWhite(n.accentColor);
            if (problem != null) {
                problems.add(new Problem.Violation("accentColor", problem));
            }
        }
        if (in.footerText() != null) {
            n.footerText = in.footerText().isBlank() ? null : in.footerText().strip();
        }
        if (in.postalAddress() != null) {
            n.postalAddress = in.postalAddress().isBlank() ? null : in.postalAddress().strip();
        }
        n.headerFields().forEach((field, value) -> HeaderFields.check(field, value, problems));
    }

    private static void require(Object value, String field, List<Problem.Violation> problems) {
        if (value == null || value instanceof String s && s.isBlank()) {
            problems.add(new Problem.Violation(field, "must not be blank"));
        }
    }

    /**
     * At start-up, names each active newsletter that sends without the sender's postal address, which the US CAN-SPAM
     * Act requires in commercial mail (and many other rules expect).
     */
    void warnWithoutPostalAddress(@Observes StartupEvent event) {
        List<String> missing = withoutPostalAddress();
        if (!missing.isEmpty()) {
            Log.warnf("Newsletter(s) %s send without the sender's postal address, which the US CAN-SPAM Act requires in"
                    + " commercial mail: set postalAddress on each (editor: the newsletter's form, Footer)", missing);
        }
    }

    /** The slugs of the active newsletters without a postal address. */
    @Transactional
    public List<String> withoutPostalAddress() {
        return Newsletter.find("select n.slug from Newsletter n where n.active = true and n.postalAddress is null order by n.slug")
                .project(String.class).list();
    }

    /** The topics a newsletter can cover, as its form offers them. */
    public List<dev.gazette.article.Topic> topics() {
        return topics.list();
    }
}
