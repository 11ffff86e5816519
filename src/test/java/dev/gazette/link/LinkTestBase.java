package dev.gazette.link;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;

import dev.gazette.common.Period;
import dev.gazette.link.web.LinkCache;
import dev.gazette.testing.GazetteTest;
import dev.gazette.testing.Visitors;
import io.restassured.response.Response;

/**
 * Tracked-link tests: an empty click queue and link cache before each test (the database is emptied between tests,
 * so neither may carry anything over), and helpers to follow a link as a browser or a bot would.
 */
abstract class LinkTestBase extends GazetteTest {

    static final String CHROME = Visitors.CHROME;
    static final String FIREFOX = Visitors.FIREFOX;
    static final String SAFARI_IPHONE = Visitors.SAFARI_IPHONE;

    @Inject
    TrackedLinkService links;

    @Inject
    ClickRecorder recorder;

    @Inject
    LinkReports reports;

    @Inject
    LinkCache cache;

    @BeforeEach
    void emptyQueueAndCache() {
        recorder.discard();
        cache.clear();
    }

    TrackedLink campaign(String target, Utm utm) {
        return links.create(target, LinkContextType.CAMPAIGN, null, "Campaign " + target, utm);
    }

    /** Follows a tracked link as the given User-Agent would, without following the redirect. */
    static Response visit(String code, String userAgent) {
        return Visitors.visit(code, userAgent);
    }

    LinkCounts counts(TrackedLink link) {
        return reports.one(link.id, Period.ALL).orElseThrow().counts();
    }

    /** Writes the queue, then reads the link's all-time counts. */
    LinkCounts flushedCounts(TrackedLink link) {
        recorder.flush();
        return counts(link);
    }
}
