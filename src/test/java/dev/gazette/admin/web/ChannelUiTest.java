package dev.gazette.admin.web;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.gazette.article.Article;
import dev.gazette.link.TrackedLink;
import dev.gazette.social.Channel;
import dev.gazette.social.ChannelService;
import dev.gazette.social.Distribution;
import dev.gazette.social.SocialPublisher;
import dev.gazette.testing.BrowserTest;
import dev.gazette.testing.Fixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The channels pages in Chromium: adding a Mastodon channel through the form, an article posted on it and shown with
 * its link, write-only credentials, the credentials check, errors next to their fields, and retrying a failed post.
 */
@QuarkusTest
class ChannelUiTest extends BrowserTest {

    private static final String TOKEN = "mastodon-token-4f9c2a7e";
    private static final String POST_URL = "https://social.example/@news/1";

    @Inject
    SocialPublisher publisher;

    @Inject
    ChannelService channels;

    @Inject
    ObjectMapper json;

    @BeforeEach
    void editor() {
        fixtures.editorToken();
        // the network accepts the token: channels saved from the editor are checked at once
        wireMock.stubFor(get(urlEqualTo("/api/v1/accounts/verify_credentials")).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"1\",\"username\":\"news\",\"acct\":\"news\"}")));
    }

    private void stubStatuses() {
        wireMock.stubFor(post(urlEqualTo("/api/v1/statuses")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"1\",\"url\":\"" + POST_URL + "\"}")));
    }

    /** Adds a Mastodon channel pointing at WireMock through the form; returns its id. */
    private long addMastodonChannel(String name, String token) {
        open("/admin/channels/new?network=MASTODON");
        waitFor(By.id("name")).sendKeys(name);
        browser.findElement(By.id("baseUrl")).sendKeys(wireMock.baseUrl());
        browser.findElement(By.id("credential-accessToken")).sendKeys(token);
        browser.findElement(By.xpath("//button[text()='Add channel']")).click();
        waitForText(By.cssSelector("[role=status]"), "Channel added: the network accepted its credentials");
        String path = browser.getCurrentUrl().replaceAll("^.*/admin/channels/(\\d+).*$", "$1");
        return Long.parseLong(path);
    }

    /** The token stored for the channel, read in a transaction of its own (no stale entity). */
    private String storedToken(long id) {
        return QuarkusTransaction.requiringNew().call(() -> channels.access(channels.get(id)).credential("accessToken"));
    }

    private String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    @Test
    void anEditorAddsAMastodonChannelAndSeesTheArticlePostedWithItsLink() throws Exception {
        stubStatuses();
        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        browser.findElement(By.linkText("Channels")).click();
        assertEquals("page", waitFor(By.linkText("Channels")).getAttribute("aria-current"));
        assertTrue(text(".empty").startsWith("No channel yet."), text(".empty"));
        browser.findElement(By.linkText("Add a channel")).click();

        // the fields follow the network chosen (htmx swaps the form in place)
        new Select(waitFor(By.id("network"))).selectByVisibleText("Telegram");
        waitFor(By.id("credential-botToken"));
        assertFalse(browser.findElements(By.id("account")).isEmpty(), "Telegram channels name their chat");
        assertTrue(browser.findElements(By.id("baseUrl")).isEmpty(), "Telegram has no base URL");
        assertTrue(browser.getCurrentUrl().endsWith("/admin/channels/new?network=TELEGRAM"), browser.getCurrentUrl());
        new Select(browser.findElement(By.id("network"))).selectByVisibleText("Mastodon");
        waitFor(By.id("credential-accessToken"));
        assertTrue(browser.findElements(By.id("account")).isEmpty(), "Mastodon has no account field");
        assertEquals("password", browser.findElement(By.id("credential-accessToken")).getAttribute("type"));

        waitFor(By.id("name")).sendKeys("Mastodon @news");
        browser.findElement(By.id("baseUrl")).sendKeys(wireMock.baseUrl());
        browser.findElement(By.id("credential-accessToken")).sendKeys(TOKEN);
        browser.findElement(By.xpath("//button[text()='Add channel']")).click();
        waitForText(By.cssSelector("[role=status]"), "Channel added: the network accepted its credentials");
        long channelId = Long.parseLong(browser.getCurrentUrl().replaceAll("^.*/admin/channels/(\\d+).*$", "$1"));
        assertEquals("Mastodon @news", browser.findElement(By.tagName("h1")).getText());
        assertEquals("Active", text("#channel-status"));
        assertEquals("@news@localhost", text("#account-name"), "checked on save");
        assertEquals("Set — leave empty to keep.", text("#credential-accessToken-state"));
        assertEquals("", browser.findElement(By.id("credential-accessToken")).getAttribute("value"));
        assertFalse(browser.getPageSource().contains(TOKEN), "the credential is never sent back");
        assertEquals("Nothing posted on this channel yet. Published articles that match its rules are posted here.",
                text("#posts + .empty"));

        Article article = fixtures.published("Storm warning for the coast", "Winds of 120 km/h are expected.");
        assertEquals(1, publisher.publishDue());

        // WireMock got the status, with the post's tracked link
        List<LoggedRequest> sent = wireMock.findAll(postRequestedFor(urlEqualTo("/api/v1/statuses")));
        assertEquals(1, sent.size());
        assertEquals("Bearer " + TOKEN, sent.get(0).getHeader("Authorization"));
        String status = json.readTree(sent.get(0).getBodyAsString()).path("status").asText();
        String code = QuarkusTransaction.requiringNew().call(() -> TrackedLink.<TrackedLink>findById(
                Distribution.<Distribution>find("articleId", article.id).singleResult().linkId).code);
        assertTrue(status.startsWith("Storm warning for the coast\n"), status);
        assertTrue(status.contains("/r/" + code), status);

        // the channel page shows the post published with its link
        browser.navigate().refresh();
        WebElement row = waitFor(By.cssSelector("#posts ~ .table-scroll table tbody tr"));
        assertEquals("Storm warning for the coast", row.findElement(By.cssSelector("td a")).getText());
        assertEquals("PUBLISHED", row.findElement(By.cssSelector(".status")).getText());
        assertEquals(POST_URL, row.findElement(By.linkText(POST_URL)).getAttribute("href"));
        assertEquals("Mon 2 Mar, 09:00 UTC", row.findElements(By.tagName("td")).get(2).getText());
        assertTrue(row.findElements(By.xpath(".//button[text()='Retry']")).isEmpty(), "a published post has no Retry");
        row.findElement(By.tagName("summary")).click();
        assertEquals(status, row.findElement(By.cssSelector("pre.post")).getText());

        // and so does the article's page
        row.findElement(By.linkText("Storm warning for the coast")).click();
        waitForText(By.tagName("h1"), "Storm warning for the coast");
        assertTrue(browser.getCurrentUrl().endsWith("/admin/articles/" + article.id), browser.getCurrentUrl());
        WebElement post = browser.findElement(By.xpath("//h2[text()='Social posts']/following-sibling::div[1]//table//tbody/tr"));
        assertTrue(post.getText().startsWith("Mastodon @news MASTODON PUBLISHED"), post.getText());
        assertEquals(POST_URL, post.findElement(By.linkText("view post")).getAttribute("href"));

        // the list
        open("/admin/channels");
        List<WebElement> cells = browser.findElements(By.cssSelector("tbody tr td"));
        assertEquals("Mastodon @news\n" + wireMock.baseUrl(), cells.get(0).getText());
        assertEquals("Mastodon", cells.get(1).getText());
        assertEquals("Active", cells.get(2).getText());
        assertEquals("@news@localhost", cells.get(3).getText());
        assertEquals("Mon 2 Mar, 09:00 UTC", cells.get(4).getText());
        assertEquals(channelId, channels.list().get(0).id);
    }

    @Test
    void credentialsAreWriteOnlyAndErrorsShowNextToTheirFields() {
        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        open("/admin/channels/new?network=MASTODON");
        waitFor(By.id("name")).sendKeys("Mastodon @news");
        browser.findElement(By.id("credential-accessToken")).sendKeys(TOKEN);
        // bypass the browser's own checks to see the server's answer
        ((JavascriptExecutor) browser).executeScript("document.getElementById('baseUrl').removeAttribute('required')");
        browser.findElement(By.xpath("//button[text()='Add channel']")).click();
        assertEquals("is required for MASTODON", waitFor(By.id("baseUrl-error")).getText());
        assertEquals("true", browser.findElement(By.id("baseUrl")).getAttribute("aria-invalid"));
        assertTrue(browser.findElement(By.id("baseUrl")).getAttribute("aria-describedby").contains("baseUrl-error"));
        assertEquals("Mastodon @news", browser.findElement(By.id("name")).getAttribute("value"), "what was typed is kept");
        assertTrue(text("[role=alert]").startsWith("The channel is not saved"), text("[role=alert]"));
        assertFalse(browser.getPageSource().contains(TOKEN), "the credential is not echoed back, even on an error");
        assertEquals(0, Channel.count());

        // a credential the network's connector refuses: the message is next to that credential
        open("/admin/channels/new?network=WEBHOOK");
        waitFor(By.id("name")).sendKeys("Our receiver");
        browser.findElement(By.id("baseUrl")).sendKeys(wireMock.baseUrl() + "/hook");
        browser.findElement(By.id("credential-secret")).sendKeys("short-secret");
        browser.findElement(By.xpath("//button[text()='Add channel']")).click();
        assertEquals("The signing secret is too short: use at least 16 characters", waitFor(By.id("credential-secret-error")).getText());
        assertEquals("true", browser.findElement(By.id("credential-secret")).getAttribute("aria-invalid"));
        assertEquals(wireMock.baseUrl() + "/hook", browser.findElement(By.id("baseUrl")).getAttribute("value"));
        assertFalse(browser.getPageSource().contains("short-secret"));
        assertEquals(0, Channel.count());

        long id = addMastodonChannel("Mastodon @news", TOKEN);
        String page = browser.getPageSource();
        assertFalse(page.contains(TOKEN));

        // an edit with an invalid template and a new token: the error is shown, the new token neither kept nor stored
        WebElement template = browser.findElement(By.id("template"));
        template.clear();
        template.sendKeys("Read {title} now");
        browser.findElement(By.id("credential-accessToken")).sendKeys("replacement-token-77aa");
        browser.findElement(By.xpath("//button[text()='Save']")).click();
        assertEquals("must contain {link}: posts bring readers back through the tracked link",
                waitFor(By.id("template-error")).getText());
        assertEquals("Read {title} now", browser.findElement(By.id("template")).getAttribute("value"));
        assertFalse(browser.getPageSource().contains("replacement-token-77aa"));
        assertFalse(browser.getPageSource().contains(TOKEN));
        assertEquals(TOKEN, storedToken(id));

        // the raw HTML of every channel page, as served
        String cookie = browser.manage().getCookieNamed("gazette-session").getValue();
        for (String path : List.of("/admin/channels", "/admin/channels/" + id, "/admin/channels/new?network=MASTODON")) {
            String html = given().cookie("gazette-session", cookie).get(path).then().statusCode(200).extract().asString();
            assertFalse(html.contains(TOKEN), path);
        }

        // an empty credential field keeps the stored value; a typed one replaces it
        open("/admin/channels/" + id);
        waitFor(By.id("template")).clear();
        browser.findElement(By.id("template")).sendKeys("{title} {link}");
        submitAndWait(By.xpath("//button[text()='Save']"));
        waitForText(By.cssSelector("[role=status]"), "Saved.");
        assertEquals(TOKEN, storedToken(id));
        assertEquals("{title} {link}", QuarkusTransaction.requiringNew().call(() -> channels.get(id).template));
        browser.findElement(By.id("credential-accessToken")).sendKeys("replacement-token-77aa");
        submitAndWait(By.xpath("//button[text()='Save']"));
        // WireMock knows no such token and answers 404: not a refusal, no answer either, so the channel waits
        waitForText(By.cssSelector("[role=status]"), "Saved, but the network did not answer the check of the new credentials.");
        assertEquals("Not verified", text("#channel-status"));
        assertTrue(text("#channel-reason").startsWith("The network did not answer the check: "), text("#channel-reason"));
        assertEquals("replacement-token-77aa", storedToken(id));
        assertFalse(browser.getPageSource().contains("replacement-token-77aa"));
    }

    @Test
    void credentialsAreCheckedOnSaveAndWaitingPostsSayWhatToDo() {
        wireMock.stubFor(get(urlEqualTo("/api/v1/accounts/verify_credentials")).withHeader("Authorization", equalTo("Bearer stale-token-0001"))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"The access token was revoked\"}")));
        stubStatuses();
        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        open("/admin/channels/new?network=MASTODON");
        waitFor(By.id("name")).sendKeys("Mastodon @news");
        browser.findElement(By.id("baseUrl")).sendKeys(wireMock.baseUrl());
        browser.findElement(By.id("credential-accessToken")).sendKeys("stale-token-0001");
        assertEquals("UTC", new Select(browser.findElement(By.id("timeZone"))).getFirstSelectedOption().getText());
        new Select(browser.findElement(By.id("timeZone"))).selectByVisibleText("Europe/Paris");
        submitAndWait(By.xpath("//button[text()='Add channel']"));
        waitForText(By.cssSelector("[role=status]"), "Channel added, but the network refused its credentials: give new ones below.");
        long id = Long.parseLong(browser.getCurrentUrl().replaceAll("^.*/admin/channels/(\\d+).*$", "$1"));
        assertEquals("Needs new credentials", text("#channel-status"));
        assertEquals("Europe/Paris", new Select(browser.findElement(By.id("timeZone"))).getFirstSelectedOption().getText());

        // an article published meanwhile waits for the channel, and says so where the editor looks
        Article article = fixtures.published("Storm warning for the coast", "Winds.");
        assertEquals(0, publisher.publishDue(), "nothing is posted with refused credentials");
        open("/admin/articles/" + article.id);
        WebElement waiting = waitFor(By.linkText("Waiting: the channel needs new credentials"));
        assertTrue(waiting.getAttribute("href").endsWith("/admin/channels/" + id + "#credentials"), waiting.getAttribute("href"));
        open("/admin");
        assertTrue(text("#attention").contains("Mastodon @news (Mastodon): Needs new credentials. Credentials refused: The access"
                + " token was revoked — give new credentials"), text("#attention"));
        browser.findElement(By.cssSelector("#attention a")).click();
        waitFor(By.id("credential-accessToken")).sendKeys(TOKEN);
        submitAndWait(By.xpath("//button[text()='Save']"));
        waitForText(By.cssSelector("[role=status]"), "Saved: the network accepted the new credentials, and the channel posts.");
        assertEquals("Active", text("#channel-status"));
        assertEquals(1, publisher.publishDue(), "the waiting post goes out");
        open("/admin");
        assertTrue(browser.findElements(By.id("attention")).isEmpty());

        // the posting hours' check in words, next to the field
        open("/admin/channels/" + id);
        ((JavascriptExecutor) browser).executeScript("document.getElementById('postFrom').value = '08:00'");
        submitAndWait(By.xpath("//button[text()='Save']"));
        assertEquals("posting hours need a start and an end: give both, or leave both empty to post at any hour",
                waitFor(By.id("postUntil-error")).getText());
    }

    @Test
    void verifyShowsTheAccountOrTheNetworksReason() {
        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        long id = addMastodonChannel("Mastodon @news", TOKEN);

        wireMock.stubFor(get(urlEqualTo("/api/v1/accounts/verify_credentials"))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"The access token is invalid\"}")));
        browser.findElement(By.id("verify")).click();
        waitForText(By.id("verification"), "The network refused");
        assertEquals("The network refused the credentials: The access token is invalid", text("#verification"));
        assertTrue(browser.findElement(By.id("verification")).getAttribute("class").contains("bad"));
        assertEquals("Needs new credentials", text("#channel-status"));
        assertEquals("Credentials refused: The access token is invalid — give new credentials", text("#channel-reason"));
        assertFalse(browser.getPageSource().contains(TOKEN));

        open("/admin/channels");
        assertEquals("Needs new credentials\nCredentials refused: The access token is invalid — give new credentials\n"
                + "Give new credentials", browser.findElements(By.cssSelector("tbody tr td")).get(2).getText());

        wireMock.stubFor(get(urlEqualTo("/api/v1/accounts/verify_credentials")).withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse().withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"1\",\"username\":\"news\",\"acct\":\"news\"}")));
        open("/admin/channels/" + id);
        waitFor(By.id("verify")).click();
        waitForText(By.id("verification"), "The credentials work");
        assertEquals("The credentials work: they belong to @news@localhost.", text("#verification"));
        assertEquals("Active", text("#channel-status"));
        assertTrue(browser.findElements(By.id("channel-reason")).isEmpty());
        assertEquals("@news@localhost", text("#account-name"));
        assertEquals("Mon 2 Mar, 09:00 UTC", text("#verified-at"));
        wireMock.verify(3, com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                urlEqualTo("/api/v1/accounts/verify_credentials")));
    }

    @Test
    void aFailedPostIsRetriedFromTheChannelPage() {
        wireMock.stubFor(post(urlEqualTo("/api/v1/statuses")).willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"Validation failed: Text character limit of 500 exceeded\"}")));
        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        long id = addMastodonChannel("Mastodon @news", TOKEN);
        fixtures.published("Storm warning for the coast", "Winds.");
        publisher.publishDue();

        open("/admin/channels/" + id);
        WebElement row = waitFor(By.cssSelector("#posts ~ .table-scroll table tbody tr"));
        assertEquals("FAILED", row.findElement(By.cssSelector(".status")).getText());
        assertEquals("Validation failed: Text character limit of 500 exceeded", row.findElement(By.cssSelector(".reason")).getText());

        stubStatuses();
        row.findElement(By.xpath(".//button[text()='Retry']")).click();
        waitForText(By.cssSelector("[role=status]"), "The post is queued again.");
        assertEquals("PENDING", text("#posts ~ .table-scroll table tbody tr .status"));
        assertEquals(1, publisher.publishDue());
        browser.navigate().refresh();
        assertEquals("PUBLISHED", waitFor(By.cssSelector("#posts ~ .table-scroll table tbody tr .status")).getText());
        assertEquals(POST_URL, browser.findElement(By.linkText(POST_URL)).getAttribute("href"));
    }

    @Test
    void aNewArticlesPostsArePreviewedAsTypedBeforeTheFirstSave() {
        fixtures.topic("Climate", "climate");
        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        addMastodonChannel("Mastodon @news", TOKEN);
        open("/admin/articles/new");
        waitForText(By.id("social-previews"), "Mastodon @news");
        browser.findElement(By.id("title")).sendKeys("Glaciers retreat faster");
        waitForText(By.cssSelector("#social-previews pre.post"), "Glaciers retreat faster");
        browser.findElement(By.cssSelector("input[name=topic][value=climate]")).click();
        waitForText(By.cssSelector("#social-previews pre.post"), "#Climate");
        assertEquals(0, Article.count(), "previewing saves nothing");
    }
}
