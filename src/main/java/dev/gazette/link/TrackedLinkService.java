package dev.gazette.link;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.gazette.common.Text;
import dev.gazette.common.config.SiteConfig;
import dev.gazette.common.error.Problem;
import dev.gazette.common.error.ProblemException;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.logging.Log;
import io.quarkus.panache.common.Parameters;

/**
 * Creates and finds tracked links. Social distribution and digests call {@link #create} for each link they send out;
 * editors create campaign links through the API.
 */
@ApplicationScoped
public class TrackedLinkService {

    private static final String CREATE_OR_FIND = """
            insert into tracked_link (code, target_url, context_type, context_id, label, utm_source, utm_medium,
                utm_campaign, utm_content, utm_term, created_at, updated_at)
            values (:code, :target, :type, :contextId, :label, :source, :medium, :campaign, :content, :term,
                :now, :now)
            on conflict do nothing""";

    static final int MAX_TARGET = 2000;
    static final int MAX_LABEL = 200;
    static final int MAX_UTM = 200;
    private static final int CODE_ATTEMPTS = 5;

    private final SiteConfig site;
    private final Clock clock;
    private final EntityManager em;

    TrackedLinkService(SiteConfig site, Clock clock, EntityManager em) {
        this.site = site;
        this.clock = clock;
        this.em = em;
    }

    /** Filters for the editor list; null means any. */
    public record Filter(LinkContextType contextType, Long contextId) {
    }

    /** One page of a keyset-paginated list. */
    public record Page(List<TrackedLink> items, Long nextCursor) {
    }

    /** What the redirect needs of a link: its id to count, and where to send the reader. */
    public record Target(long linkId, String location) {
    }

    /** The link asked for, and whether this call created it. */
    public record Creation(TrackedLink link, boolean created) {
    }

    /** {@link #create(String, LinkContextType, Long, String, Utm)} without a label. */
    @Transactional
    public TrackedLink create(String target, LinkContextType contextType, Long contextId, Utm utm) {
        return create(target, contextType, contextId, null, utm);
    }

    /**
     * The tracked link of a target in a context, created on first use. Idempotent: a context with an id (a
     * distribution, a digest issue) is identified by type and id, one without (a manual campaign) by type and label;
     * asking again returns the existing link unchanged, whatever UTM parameters are given.
     *
     * @throws ProblemException 400 naming the field when the target is not an absolute http(s) URL or a value is too long
     */
    @Transactional
    public TrackedLink create(String target, LinkContextType contextType, Long contextId, String label, Utm utm) {
        return createOrFind(target, contextType, contextId, label, utm).link();
    }

    /** Like {@link #create(String, LinkContextType, Long, String, Utm)}, telling whether the link is new. */
    @Transactional
    public Creation createOrFind(String target, LinkContextType contextType, Long contextId, String label, Utm utm) {
        Utm parameters = utm == null ? Utm.NONE : utm;
        String cleanLabel = trimToNull(label);
        String url = validate(target, contextType, contextId, cleanLabel, parameters);
        Optional<TrackedLink> existing = TrackedLink.findByContext(url, contextType, contextId, cleanLabel);
        if (existing.isPresent()) {
            return new Creation(existing.get(), false);
        }
        for (int attempt = 1; attempt <= CODE_ATTEMPTS; attempt++) {
            String code = LinkCodes.generate();
            // ON CONFLICT DO NOTHING covers both a concurrent creation of the same link and a (rare) code collision;
            // the lookup below tells them apart.
            int inserted = em.createNativeQuery(CREATE_OR_FIND)
                    .setParameter("code", code).setParameter("target", url).setParameter("type", contextType.name())
                    .setParameter("contextId", contextId).setParameter("label", cleanLabel)
                    .setParameter("source", trimToNull(parameters.source()))
                    .setParameter("medium", trimToNull(parameters.medium()))
                    .setParameter("campaign", trimToNull(parameters.campaign()))
                    .setParameter("content", trimToNull(parameters.content()))
                    .setParameter("term", trimToNull(parameters.term()))
                    .setParameter("now", clock.instant())
                    .executeUpdate();
            Optional<TrackedLink> found = TrackedLink.findByContext(url, contextType, contextId, cleanLabel);
            if (found.isPresent()) {
                if (inserted == 1) {
                    Log.infof("Created tracked link %s (%s %s)", found.get().code, contextType,
                            contextId != null ? contextId : cleanLabel);
                }
                return new Creation(found.get(), inserted == 1);
            }
        }
        throw new IllegalStateException("No free link code after " + CODE_ATTEMPTS + " attempts");
    }

    @Transactional
    public Optional<TrackedLink> find(long id) {
        return TrackedLink.findByIdOptional(id);
    }

    /** Where a code redirects to, for the redirect's cache. */
    @Transactional
    public Optional<Target> findTarget(String code) {
        return TrackedLink.findByCode(code).map(this::target);
    }

    public Target target(TrackedLink link) {
        return new Target(link.id, LinkUrls.location(link.targetUrl, link.utm(), link.code, site.baseUrl()));
    }

    /** The public short URL of a link, to put in posts and emails. */
    public String shortUrl(TrackedLink link) {
        return shortUrlPrefix(site.baseUrl()) + link.code;
    }

    /** What every short URL of this site starts with, its code following. */
    static String shortUrlPrefix(String siteBaseUrl) {
        return siteBaseUrl + "/r/";
    }

    @Transactional
    public Page list(Filter filter, Long after, int limit) {
        StringBuilder query = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (filter.contextType() != null) {
            query.append(" and contextType = :type");
            params.and("type", filter.contextType());
        }
        if (filter.contextId() != null) {
            query.append(" and contextId = :contextId");
            params.and("contextId", filter.contextId());
        }
        if (after != null) {
            query.append(" and id < :after");
            params.and("after", after);
        }
        query.append(" order by id desc");
        PanacheQuery<TrackedLink> found = TrackedLink.find(query.toString(), params);
        List<TrackedLink> page = found.page(0, limit + 1).list();
        Long next = null;
        if (page.size() > limit) {
            page = page.subList(0, limit);
            next = page.get(limit - 1).id;
        }
        return new Page(page, next);
    }

    private String validate(String target, LinkContextType type, Long contextId, String label, Utm utm) {
        List<Problem.Violation> problems = new ArrayList<>();
        String url = target == null ? null : target.trim();
        String urlProblem = targetProblem(url);
        if (urlProblem != null) {
            problems.add(new Problem.Violation("target", urlProblem));
        }
        if (type == null) {
            problems.add(new Problem.Violation("contextType", "must not be null"));
        } else if (type != LinkContextType.CAMPAIGN && contextId == null) {
            problems.add(new Problem.Violation("contextId", "must identify the " + type.name().toLowerCase(Locale.ROOT)));
        }
        if (contextId == null && label == null) {
            problems.add(new Problem.Violation("label", "must not be blank"));
        }
        if (label != null && label.length() > MAX_LABEL) {
            problems.add(new Problem.Violation("label", "must be at most " + MAX_LABEL + " characters"));
        }
        checkUtm(problems, "utmSource", utm.source());
        checkUtm(problems, "utmMedium", utm.medium());
        checkUtm(problems, "utmCampaign", utm.campaign());
        checkUtm(problems, "utmContent", utm.content());
        checkUtm(problems, "utmTerm", utm.term());
        if (!problems.isEmpty()) {
            throw new ProblemException(400, "Bad Request", "The request is not valid: see violations.", problems);
        }
        return url;
    }

    private String targetProblem(String url) {
        if (url == null || url.isEmpty()) {
            return "must not be blank";
        }
        if (url.length() > MAX_TARGET) {
            return "must be at most " + MAX_TARGET + " characters";
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return "must be an absolute http or https URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.isOpaque()) {
            return "must be an absolute http or https URL";
        }
        if (uri.getRawUserInfo() != null) {
            return "must not contain a user name or password";
        }
        if (LinkUrls.isOnSite(url, site.baseUrl()) && uri.getRawPath() != null
                && uri.getRawPath().startsWith(Text.withoutTrailingSlash(URI.create(site.baseUrl()).getPath()) + "/r/")) {
            return "must not be another tracked link";
        }
        return null;
    }

    private static void checkUtm(List<Problem.Violation> problems, String field, String value) {
        if (value != null && value.trim().length() > MAX_UTM) {
            problems.add(new Problem.Violation(field, "must be at most " + MAX_UTM + " characters"));
        }
    }

    private static String trimToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
