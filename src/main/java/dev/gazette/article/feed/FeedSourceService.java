package dev.gazette.article.feed;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.gazette.article.Topic;
import dev.gazette.common.error.Problem;
import dev.gazette.common.error.ProblemException;
import io.quarkus.panache.common.Sort;

/**
 * Registers and removes the feeds articles are imported from.
 */
@ApplicationScoped
public class FeedSourceService {

    /** Bounds of the poll interval, as the API checks them. */
    public static final int MIN_POLL_MINUTES = 5;
    public static final int MAX_POLL_MINUTES = 10080;

    private final FeedFetcher fetcher;
    private final FeedsConfig config;
    private final Clock clock;

    FeedSourceService(FeedFetcher fetcher, FeedsConfig config, Clock clock) {
        this.fetcher = fetcher;
        this.config = config;
        this.clock = clock;
    }

    @Transactional
    public FeedSource create(String url, List<String> topicSlugs, Duration pollInterval, ImportMode importAs) {
        if (url == null || url.isBlank()) {
            throw ProblemException.invalid("url", "must not be blank");
        }
        if (pollInterval != null) {
            checkInterval(pollInterval);
        }
        try {
            fetcher.check(url);
        } catch (FeedFetcher.FetchException e) {
            throw ProblemException.invalid("url", e.getMessage());
        }
        String normalised = url.trim();
        if (FeedSource.findByUrl(normalised).isPresent()) {
            throw ProblemException.conflict("url", "This feed is already registered.");
        }
        List<Problem.Violation> problems = new ArrayList<>();
        Set<Topic> topics = Topic.resolve(topicSlugs, problems);
        if (!problems.isEmpty()) {
            throw new ProblemException(400, "Bad Request", "The request is not valid: see violations.", problems);
        }
        FeedSource source = new FeedSource();
        source.url = normalised;
        source.topics = topics;
        source.pollIntervalSecs = (int) (pollInterval == null ? config.defaultPollInterval() : pollInterval).toSeconds();
        source.importAs = importAs == null ? ImportMode.PUBLISHED : importAs;
        source.created(clock.instant());
        source.nextPollAt = clock.instant();
        source.persist();
        return source;
    }

    /**
     * Changes what a source's articles get and how it is polled; null keeps a value. The address is the source's
     * identity: to follow another feed, add it and remove this one.
     */
    @Transactional
    public FeedSource update(long id, List<String> topicSlugs, Duration pollInterval, ImportMode importAs) {
        FeedSource source = FeedSource.<FeedSource> findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("Feed source " + id));
        if (topicSlugs != null) {
            List<Problem.Violation> problems = new ArrayList<>();
            Set<Topic> topics = Topic.resolve(topicSlugs, problems);
            if (!problems.isEmpty()) {
                throw new ProblemException(400, "Bad Request", "The request is not valid: see violations.", problems);
            }
            source.topics = topics;
        }
        if (pollInterval != null) {
            checkInterval(pollInterval);
            source.pollIntervalSecs = (int) pollInterval.toSeconds();
        }
        if (importAs != null) {
            source.importAs = importAs;
        }
        source.updatedAt = clock.instant();
        return source;
    }

    @Transactional
    public List<FeedSource> list() {
        return FeedSource.listAll(Sort.by("id"));
    }

    @Transactional
    public Optional<FeedSource> find(long id) {
        return FeedSource.findByIdOptional(id);
    }

    @Transactional
    public FeedSource setActive(long id, boolean active) {
        FeedSource source = FeedSource.<FeedSource> findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("Feed source " + id));
        source.active = active;
        source.nextPollAt = clock.instant();
        source.updatedAt = clock.instant();
        return source;
    }

    /** Removes the source; articles imported from it stay. */
    @Transactional
    public void delete(long id) {
        FeedSource source = FeedSource.<FeedSource> findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("Feed source " + id));
        source.delete();
    }

    private static void checkInterval(Duration pollInterval) {
        if (pollInterval.toMinutes() < MIN_POLL_MINUTES || pollInterval.toMinutes() > MAX_POLL_MINUTES) {
            throw ProblemException.invalid("pollIntervalMinutes",
                    "must be between " + MIN_POLL_MINUTES + " and " + MAX_POLL_MINUTES + " minutes");
        }
    }
}
