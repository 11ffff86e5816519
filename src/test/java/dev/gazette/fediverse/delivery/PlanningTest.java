package dev.gazette.fediverse.delivery;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;


import org.junit.jupiter.api.Test;

import dev.gazette.article.Article;
import dev.gazette.article.ArticleInput;
import dev.gazette.fediverse.FediverseProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * What the planner makes of the ledger and the followers it did not write itself: inboxes no delivery can go to, an
 * edit that overtakes the Create being sent, an article moved back to a draft or a schedule after it was withdrawn,
 * and a withdrawn article an editor wants to delete before its Deletes went out.
 */
@QuarkusTest
@TestProfile(FediverseProfile.class)
class PlanningTest extends OneServerTestBase {

    @Test
    void shouldPlanForTheOtherFollowersWhenOneInboxCannotBeDeliveredTo() {
        alice();
        String port = String.valueOf(wireMock.port());
        Instant followedAt = Instant.parse("2000-01-01T00:00:00Z");
        // written as a remote server could make them: a host longer than the ledger's column, a user name in the
        // address (longer than a host may be), a scheme in capitals, and no http at all
        follower("https://long.example/users/bob", "https://" + "h".repeat(300) + ".example/inbox", null,
                followedAt);
        follower("http://localhost:" + port + "/users/dave", "http://" + "u".repeat(300) + "@LocalHost:" + port
                + "/users/dave/inbox", null, followedAt);
        follower("http://localhost:" + port + "/users/erin", "HTTP://LOCALHOST:" + port + "/users/erin/inbox", null,
                followedAt);
        follower("https://odd.example/users/frank", "ftp://odd.example/users/frank/inbox", null,
                followedAt);
        Article rivers = fixtures.published("Rivers in spring", "Water.");

        assertEquals(3, planner.plan(), "alice's shared inbox, dave's and erin's; none for bob and frank");
        assertEquals(3, count("select count(*) from fediverse_delivery where host = 'localhost:" + port + "'"),
                "the host is the inbox's, in lower case, without the user name");
        sender.sendDue();

        List<JsonPath> received = received();
        assertEquals(1, received.size());
        assertEquals(FediverseProfile.BASE_URL + "/articles/" + rivers.slug + "#create", received.get(0).getString("id"));
        // whatever order the three rows are sent in: dave's address fails on its own, without holding the host back
        assertEquals(1, count("select count(*) from fediverse_delivery where status = 'FAILED'"
                + " and last_error = 'not a valid inbox URL' and inbox like '%@LocalHost%'"));
        assertEquals(0, count("select count(*) from fediverse_host where retry_at is not null"), "the host is not backed off");
    }

    @Test
    void shouldGiveRowsPlannedBeforeTheHostWithoutTheUserName() throws Exception {
        Article rivers = fixtures.published("Rivers in spring", "Water.");
        execute("insert into fediverse_delivery (article_id, kind, version, activity_id, inbox, host, status, next_attempt_at,"
                + " created_at) values (" + rivers.id + ", 'CREATE', 1, 'https://news.example.org/articles/x#create',"
                + " 'https://Name@Mastodon.Example:8443/inbox', 'name@mastodon.example:8443', 'PENDING', now(), now())");
        // made by the ledger's trigger already, as the old planner's rows had one
        execute("insert into fediverse_host (host) values ('name@mastodon.example:8443') on conflict do nothing");
        String migration;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("db/migration/V37__fediverse_planning_fixes.sql")) {
            migration = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String statement : migration.split(";\n")) {
            if (!statement.isBlank()) {
                execute(statement);
            }
        }

        assertEquals(1, count("select count(*) from fediverse_delivery where host = 'mastodon.example:8443'"));
        assertEquals(0, count("select count(*) from fediverse_host where host like '%@%'"), "the old host's row is gone");
        assertEquals(1, count("select count(*) from fediverse_host where host = 'mastodon.example:8443'"
                + " and due_at is not null"), "the row's new host is due");
    }

    @Test
    void shouldPlanTheOtherKindsWhenOneKindCannotBePlanned() {
        Article rivers = publishedAndDelivered();
        fixtures.articles().unpublish(rivers.id);
        // whatever makes one statement fail (here: every Delete refused), the others still plan
        execute("""
                create function refuse_delete() returns trigger language plpgsql as $$
                begin if new.kind = 'DELETE' then raise exception 'no Delete today'; end if; return new; end $$""");
        try {
            execute("create trigger refuse_delete before insert on fediverse_delivery for each row execute function refuse_delete()");
            Article lakes = fixtures.published("Lakes in autumn", "Still.");

            assertEquals(1, planner.plan(), "the new article's Create, without the Delete");
            assertEquals(1, count("select count(*) from fediverse_delivery where kind = 'CREATE' and article_id = " + lakes.id));
        } finally {
            execute("drop trigger if exists refuse_delete on fediverse_delivery");
            execute("drop function if exists refuse_delete()");
        }
        assertEquals(1, planner.plan(), "the next run plans the Delete");
    }

    @Test
    void shouldUpdateAnEditMadeWhileTheCreateWasOnItsWay() {
        alice();
        Article rivers = fixtures.published("Rivers in spring", "Water.");
        planner.plan();
        sender.sendDue();
        // the Create went out with the first title, and its delivery was settled only after the edit below: a slow
        // server, or a long run that rendered it early
        execute("update fediverse_delivery set delivered_at = delivered_at + interval '20 minutes'");
        clock.advance(Duration.ofMinutes(10));
        fixtures.articles().update(rivers.id, new ArticleInput("Rivers in late spring", null, null, null, null, null,
                null, null, null, null, null, null, null));

        assertEquals(1, planner.plan(), "the edit is newer than the Create's planning, so it may not be in it");
        sender.sendDue();

        List<JsonPath> received = received();
        assertEquals(List.of("Create", "Update"), received.stream().map(b -> b.getString("type")).toList());
        assertEquals("Rivers in late spring", received.get(1).getString("object.name"));
    }

    @Test
    void shouldDeleteAWithdrawnArticleScheduledAgainBeforeThePlannerRan() {
        Article rivers = publishedAndDelivered();
        fixtures.articles().unpublish(rivers.id);
        fixtures.articles().schedule(rivers.id, clock.instant().plus(Duration.ofDays(3)));

        assertEquals(1, planner.plan(), "scheduled to come back some day is not public now: the Delete is owed");
        sender.sendDue();

        List<JsonPath> received = received();
        assertEquals(List.of("Create", "Delete"), received.stream().map(b -> b.getString("type")).toList());
        assertEquals(FediverseProfile.BASE_URL + "/articles/" + rivers.slug + "#delete", received.get(1).getString("id"));
    }

    @Test
    void shouldStillSendTheDeleteOfAWithdrawnArticleMovedBackToTheDrafts() {
        Article rivers = publishedAndDelivered();
        fixtures.articles().unpublish(rivers.id);
        assertEquals(1, planner.plan());
        fixtures.articles().schedule(rivers.id, clock.instant().plus(Duration.ofDays(3)));
        fixtures.articles().unpublish(rivers.id);

        assertEquals(1, sender.sendDue());

        assertEquals(List.of("Create", "Delete"), received().stream().map(b -> b.getString("type")).toList(),
                "a draft is no more public than a withdrawn article: the Delete is not dropped");
        assertEquals(1, count("select count(*) from fediverse_delivery where kind = 'DELETE' and status = 'DELIVERED'"));
    }

    @Test
    void shouldRefuseToDeleteADraftWhoseWithdrawalHasNotReachedEveryServerYet() {
        Article rivers = publishedAndDelivered();
        String token = fixtures.editorToken();
        String article = "/api/v1/articles/" + rivers.id;
        given().auth().oauth2(token).when().post(article + "/unpublish").then().statusCode(200);
        given().auth().oauth2(token).contentType("application/json")
                .body("{\"publishAt\": \"" + clock.instant().plus(Duration.ofDays(3)) + "\"}")
                .when().post(article + "/schedule").then().statusCode(200);
        given().auth().oauth2(token).when().post(article + "/unpublish").then().statusCode(200)
                .body("status", equalTo("DRAFT"));

        // not even planned yet, then planned but not sent: the servers would keep the article for good
        given().auth().oauth2(token).when().delete(article).then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("withdrawal has not reached one server"));
        assertEquals(1, planner.plan());
        given().auth().oauth2(token).when().delete(article).then().statusCode(409)
                .contentType("application/problem+json");
        assertEquals(1, count("select count(*) from article"));

        sender.sendDue();
        given().auth().oauth2(token).when().delete(article).then().statusCode(204);
        assertEquals(List.of("Create", "Delete"), received().stream().map(b -> b.getString("type")).toList());
        assertEquals(0, count("select count(*) from article"));
    }

    @Test
    void shouldRefuseToDeleteADraftWhileItsCreateMayStillBeSent() {
        alice();
        Article rivers = fixtures.published("Rivers in spring", "Water.");
        planner.plan();
        // the Create is planned (a sender may hold it, rendered before the withdrawal) when the article goes back to draft
        fixtures.articles().unpublish(rivers.id);
        fixtures.articles().schedule(rivers.id, clock.instant().plus(Duration.ofDays(3)));
        fixtures.articles().unpublish(rivers.id);
        String token = fixtures.editorToken();
        given().auth().oauth2(token).when().delete("/api/v1/articles/" + rivers.id).then().statusCode(409)
                .contentType("application/problem+json");

        // the sender drops the Create unsent: nothing reached the server, nothing is owed
        sender.sendDue();
        assertEquals(0, received().size());
        given().auth().oauth2(token).when().delete("/api/v1/articles/" + rivers.id).then().statusCode(204);
    }

    @Test
    void shouldDeleteADraftWhoseDeleteWasGivenUp() {
        Article rivers = publishedAndDelivered();
        fixtures.articles().unpublish(rivers.id);
        planner.plan();
        execute("update fediverse_delivery set status = 'FAILED' where kind = 'DELETE'");
        fixtures.articles().schedule(rivers.id, clock.instant().plus(Duration.ofDays(3)));
        fixtures.articles().unpublish(rivers.id);

        given().auth().oauth2(fixtures.editorToken()).when().delete("/api/v1/articles/" + rivers.id).then().statusCode(204);
    }
}
