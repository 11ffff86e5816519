package dev.gazette.link;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.gazette.article.Article;
import dev.gazette.common.Period;
import dev.gazette.social.ChannelInput;
import dev.gazette.social.ChannelService;
import dev.gazette.social.Distribution;
import dev.gazette.social.Network;
import dev.gazette.social.SocialPublisher;
import dev.gazette.stats.Funnel;
import dev.gazette.stats.Funnel.ChannelDay;
import dev.gazette.testing.Visitors;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@link Funnel#clicksPerChannelPerDay}: each channel's post links summed per UTC day of the click, previews apart,
 * other links left out, and the range respected.
 */
@QuarkusTest
class ClicksPerChannelPerDayTest extends LinkTestBase {

    @Inject
    SocialPublisher publisher;

    @Inject
    ChannelService channels;

    @Inject
    Funnel funnel;

    long channel(String name, String path) {
        return channels.create(new ChannelInput(Network.MASTODON, name, wireMock.baseUrl() + path, null,
                Map.of("accessToken", "t"), null, null, null, null, null, null, null, null, null)).id;
    }

    String code(long articleId, long channelId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Distribution d = Distribution.<Distribution>find("articleId = ?1 and channelId = ?2", articleId, channelId)
                    .singleResult();
            return TrackedLink.<TrackedLink>findById(d.linkId).code;
        });
    }

    @Test
    void clicksAreSummedPerChannelAndDay() {
        long a = channel("Mastodon A", "/a");
        long b = channel("Mastodon B", "/b");
        wireMock.stubFor(post(urlPathMatching("/(a|b)/api/v1/statuses")).willReturn(aResponse()
                .withBody("{\"id\":\"1\",\"url\":\"https://social.example/@news/1\"}")));
        Article x = fixtures.published("Heatwave explained", "Records.");
        Article y = fixtures.published("Rain returns", "Finally.");
        assertEquals(4, publisher.publishDue());

        // 2026-03-02: two people click A's post of x, one A's post of y; a campaign link is clicked too
        visit(code(x.id, a), CHROME);
        visit(code(x.id, a), FIREFOX);
        visit(code(y.id, a), SAFARI_IPHONE);
        visit(campaign("https://news.example.org/articles/heatwave-explained", null).code, CHROME);
        // 2026-03-03: A's post is previewed, B's posts clicked
        clock.advance(Duration.ofDays(1));
        visit(code(x.id, a), Visitors.MASTODON);
        visit(code(x.id, b), CHROME);
        visit(code(y.id, b), FIREFOX);
        recorder.flush();

        LocalDate day1 = LocalDate.parse("2026-03-02");
        LocalDate day2 = LocalDate.parse("2026-03-03");
        assertEquals(List.of(new ChannelDay(a, day1, 0, 3, 3), new ChannelDay(a, day2, 1, 0, 0), new ChannelDay(b, day2, 0, 2, 2)),
                funnel.clicksPerChannelPerDay(new Period(day1.minusDays(3), day2)));
        assertEquals(List.of(new ChannelDay(a, day2, 1, 0, 0), new ChannelDay(b, day2, 0, 2, 2)),
                funnel.clicksPerChannelPerDay(new Period(day2, day2)));
        assertEquals(List.of(new ChannelDay(a, day1, 0, 3, 3)), funnel.clicksPerChannelPerDay(new Period(null, day1)));
        assertEquals(List.of(), funnel.clicksPerChannelPerDay(new Period(day2.plusDays(1), null)));
    }
}
