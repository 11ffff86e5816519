package dev.gazette.social;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.article.Article;
import dev.gazette.testing.GazetteTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Post templates are written by editors: they may print the article's values and nothing else, above all not the
 * configuration (the credential key) or beans.
 */
@QuarkusTest
class PostTemplateSecretsTest extends GazetteTest {

    private static final String STEAL_KEY = "key={config:[\"gazette.secrets.credential-key\"]} {link}";

    @ConfigProperty(name = "gazette.secrets.credential-key")
    String credentialKey;

    @Inject
    ChannelService channels;

    @Inject
    EntityManager em;

    String editor;

    @BeforeEach
    void editor() {
        editor = fixtures.editorToken();
    }

    private io.restassured.response.ValidatableResponse save(String template) {
        Map<String, Object> body = new HashMap<>(Map.of("network", "MASTODON", "name", "Mastodon",
                "baseUrl", wireMock.baseUrl() + "/", "credentials", Map.of("accessToken", "token")));
        body.put("template", template);
        return given().auth().oauth2(editor).contentType(ContentType.JSON).body(body).post("/api/v1/channels").then();
    }

    @Test
    void aTemplateThatReachesConfigurationBeansOrMethodsIsRefusedWhenSaved() {
        for (String template : List.of(STEAL_KEY,
                "{config:gazette.secrets.credential-key} {link}",
                "{inject:channelService} {link}",
                "{cdi:channelService} {link}",
                "{title.getClass().getName()} {link}",
                "{title.length} {link}",
                "{#include base /} {link}",
                "{#each title}{it}{/each} {link}",
                "{#if config:[\"gazette.secrets.credential-key\"]}x{/if} {link}",
                "{unknown} {link}")) {
            save(template).statusCode(400).contentType("application/problem+json")
                    .body("violations.field", hasItem("template"))
                    .body(not(containsString(credentialKey)));
        }
        assertEquals(0, QuarkusTransaction.requiringNew().call(() -> Channel.count()));
    }

    @Test
    void theDocumentedValuesStillWork() {
        long id = save("{#if summary}{title}: {summary}{#else}{title}{/if} {link} {hashtags}").statusCode(201)
                .extract().jsonPath().getLong("id");
        Article article = fixtures.draft("Glaciers", "Body.");
        given().auth().oauth2(editor).get("/api/v1/articles/" + article.id + "/social-preview").then().statusCode(200)
                .body("[0].channelId", equalTo((int) id))
                .body("[0].text", containsString("Glaciers: Summary of Glaciers"))
                .body("[0].problem", nullValue());
    }

    @Test
    void aChannelSavedWithSuchATemplateEarlierIsPausedAndPrintsNothing() {
        long id = save("{title} {link}").statusCode(201).extract().jsonPath().getLong("id");
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update channel set template = :t where id = :id")
                .setParameter("t", STEAL_KEY).setParameter("id", id).executeUpdate());

        assertEquals(1, channels.pauseUnsafeTemplates());
        Channel paused = QuarkusTransaction.requiringNew().call(() -> Channel.findById(id));
        assertEquals(ChannelStatus.PAUSED, paused.status);
        assertNull(paused.pausedUntil, "until an editor mends the template");
        assertTrue(paused.statusReason.contains("config:"), paused.statusReason);
        assertEquals(0, channels.pauseUnsafeTemplates(), "paused once");

        Article article = fixtures.published("Glaciers", "Body.");
        String preview = given().auth().oauth2(editor).get("/api/v1/articles/" + article.id + "/social-preview").then()
                .statusCode(200).body("[0].problem", containsString("config:")).extract().asString();
        assertTrue(!preview.contains(credentialKey), preview);

        given().auth().oauth2(editor).contentType(ContentType.JSON).body(Map.of("template", "{title} {link}"))
                .patch("/api/v1/channels/" + id).then().statusCode(200).body("status", equalTo("ACTIVE"));
    }

    @Test
    void aTemplateThatFailsOnlyWithRealValuesIsRefusedThenWithoutBreakingThePreview() {
        save("{title} ".repeat(200) + "{link}").statusCode(400).body("violations.field", hasItem("template"))
                .body(containsString("at most 1000 characters"));
        // both pass the check with the sample title "Title", and fail with any other
        long compares = save("{#if title == 'Title'}{link}{#else}{#if title > 1}x{/if}{/if}").statusCode(201)
                .extract().jsonPath().getLong("id");
        Article article = fixtures.draft("Glaciers", "Body.");
        given().auth().oauth2(editor).get("/api/v1/articles/" + article.id + "/social-preview").then().statusCode(200)
                .body("find { it.channelId == " + compares + " }.problem", containsString("cannot be rendered"));
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("delete from channel").executeUpdate());
        long drops = save("{#if title == 'Title'}{link}{#else}no link{/if}").statusCode(201).extract().jsonPath().getLong("id");
        given().auth().oauth2(editor).get("/api/v1/articles/" + article.id + "/social-preview").then().statusCode(200)
                .body("find { it.channelId == " + drops + " }.problem", containsString("must contain {link}"));
    }
}
