package dev.gazette.fediverse;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import dev.gazette.testing.GazetteTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * What Mastodon asks when someone searches for {@code @news@news.example.org}: WebFinger, then NodeInfo.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class DiscoveryTest extends GazetteTest {

    static final String PROFILE_PAGE = "http://webfinger.net/rel/profile-page";

    @Test
    void shouldLeadFromTheAccountToTheActor() {
        for (String resource : new String[] { "acct:news@news.example.org", "acct:NEWS@News.Example.org",
                "acct:news@www.news.example.org", FediverseProfile.ACTOR }) {
            given().queryParam("resource", resource)
                    .when().get("/.well-known/webfinger")
                    .then().statusCode(200)
                    .contentType("application/jrd+json")
                    .header("Access-Control-Allow-Origin", "*")
                    .body("subject", equalTo("acct:news@news.example.org"))
                    .body("aliases", hasItem(FediverseProfile.ACTOR))
                    .body("links", hasSize(2))
                    .body("links.find { it.rel == 'self' }.type", equalTo("application/activity+json"))
                    .body("links.find { it.rel == 'self' }.href", equalTo(FediverseProfile.ACTOR))
                    .body("links.find { it.rel == '" + PROFILE_PAGE + "' }.type", equalTo("text/html"))
                    .body("links.find { it.rel == '" + PROFILE_PAGE + "' }.href", equalTo("https://news.example.org/"));
        }
    }

    @Test
    void shouldAnswer404ForAnotherAccountOrHost() {
        for (String resource : new String[] { "acct:editor@news.example.org", "acct:news@other.example",
                "acct:news@example.org", "https://news.example.org/ap/someone" }) {
            given().queryParam("resource", resource).accept("application/jrd+json")
                    .when().get("/.well-known/webfinger")
                    .then().statusCode(404).contentType("application/problem+json");
        }
    }

    @Test
    void shouldAnswer400ForAMissingOrMalformedResource() {
        given().when().get("/.well-known/webfinger")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("resource"))
                .body("violations[0].message", containsString("acct:news@news.example.org"));
        for (String resource : new String[] { "acct:news", "acct:@news.example.org", "acct:news@", "news@news.example.org",
                "acct:a@b@news.example.org" }) {
            given().queryParam("resource", resource)
                    .when().get("/.well-known/webfinger")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("violations[0].field", equalTo("resource"));
        }
    }

    @Test
    void shouldDescribeTheServerInNodeInfo() {
        fixtures.topic("Climate", "climate");
        fixtures.published("First", "One.", "climate");
        fixtures.published("Second", "Two.");
        fixtures.draft("Not yet", "Three.");

        given().when().get("/.well-known/nodeinfo")
                .then().statusCode(200).contentType("application/json")
                .body("links[0].rel", equalTo("http://nodeinfo.diaspora.software/ns/schema/2.1"))
                .body("links[0].href", equalTo("https://news.example.org/nodeinfo/2.1"));
        given().when().get("/nodeinfo/2.1")
                .then().statusCode(200)
                .header("Content-Type", startsWith("application/json"))
                .header("Content-Type", containsString("http://nodeinfo.diaspora.software/ns/schema/2.1#"))
                .body("version", equalTo("2.1"))
                .body("software.name", equalTo("gazette"))
                .body("software.version", equalTo("0.1.0-SNAPSHOT"))
                .body("protocols", equalTo(java.util.List.of("activitypub")))
                .body("openRegistrations", equalTo(false))
                .body("usage.users.total", equalTo(1))
                .body("usage.localPosts", equalTo(2));
    }
}
