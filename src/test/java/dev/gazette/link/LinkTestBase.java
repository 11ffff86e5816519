package dev.gazette.link;

import static io.restassured.RestAssured.given;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;

import dev.gazette.link.LinkReports.Period;
import dev.gazette.link.web.LinkCache;
import dev.gazette.testing.GazetteTest;
import io.restassured.response.Response;

/**
 * Tracked-link tests: an empty click queue and link cache before each test (the database is emptied between tests,
 * so neither may carry anything over), and helpers to follow a link as a browser or a bot would.
 */
abstract class LinkTestBase extends GazetteTest {

    static final String CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/124.0.0.0 Safari/537.36";
    static final String FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0";
    static final String SAFARI_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";

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
        return given().redirects().follow(false).header("User-Agent", userAgent).when().get("/r/" + code);
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
