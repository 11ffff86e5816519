package dev.gazette.testing;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.util.GreenMail;

import io.quarkus.test.common.QuarkusTestResource;

/**
 * Base of the Quarkus tests: real PostgreSQL, a real SMTP server and WireMock, all reset before each test, and a
 * fixed clock. Subclasses add {@code @QuarkusTest}.
 */
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = GreenMailResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = WireMockResource.class, restrictToAnnotatedClass = false)
public abstract class GazetteTest {

    @InjectGreenMail
    protected GreenMail greenMail;

    @InjectWireMock
    protected WireMockServer wireMock;

    @Inject
    protected TestClock clock;

    @Inject
    protected DatabaseCleaner database;

    @Inject
    protected Fixtures fixtures;

    @Inject
    protected PublishedEvents publishedEvents;

    @Inject
    protected dev.gazette.article.web.PageCache pageCache;

    @Inject
    protected dev.gazette.subscriber.web.SubscribeRateLimiter rateLimiter;

    @Inject
    protected dev.gazette.digest.DigestAssembler digestAssembler;

    @BeforeEach
    void resetState() throws Exception {
        database.clean();
        greenMail.purgeEmailFromAllMailboxes();
        wireMock.resetAll();
        clock.reset();
        publishedEvents.clear();
        pageCache.clear();
        rateLimiter.reset();
        digestAssembler.clear();
    }
}
