package dev.gazette.admin.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import dev.gazette.testing.BrowserTest;
import dev.gazette.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The editor UI in Chromium: signing in, writing and publishing an article, and who may see what.
 */
@QuarkusTest
class AdminUiTest extends BrowserTest {

    @jakarta.inject.Inject
    dev.gazette.social.SocialPublisher publisher;

    @jakarta.inject.Inject
    dev.gazette.digest.DigestSender sender;

    @BeforeEach
    void people() {
        fixtures.admin();
        fixtures.editorToken();
        fixtures.topic("Climate", "climate");
    }

    @Test
    void signingInLeadsToTheDashboard() {
        open("/admin");
        assertTrue(browser.getCurrentUrl().endsWith("/admin/login"), browser.getCurrentUrl());
        signIn(Fixtures.EDITOR, "wrong password");
        assertTrue(browser.findElement(By.cssSelector("[role=alert]")).getText().contains("do not match"));

        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        assertEquals("Dashboard", browser.findElement(By.tagName("h1")).getText());
        assertTrue(browser.findElement(By.tagName("main")).getText().contains("Published articles"));
        assertTrue(browser.findElements(By.linkText("Users")).isEmpty(), "editors do not see user management");

        browser.findElement(By.xpath("//button[text()='Log out']")).click();
        waitFor(By.id("j_username"));
        open("/admin");
        assertTrue(browser.getCurrentUrl().endsWith("/admin/login"), "signed out: " + browser.getCurrentUrl());
    }

    @Test
    void anEditorWritesAndPublishesAnArticleAndReadersSeeIt() {
        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        browser.findElement(By.linkText("Articles")).click();
        waitFor(By.linkText("New article")).click();
        waitFor(By.id("title")).sendKeys("Glaciers retreat faster");
        browser.findElement(By.id("summary")).sendKeys("What the new survey shows.");
        browser.findElement(By.id("body")).sendKeys("## The survey\n\nIce lost *faster* than expected.");
        waitForText(By.cssSelector("#preview h2"), "The survey");
        assertEquals("faster", browser.findElement(By.cssSelector("#preview em")).getText(), "live Markdown preview");
        browser.findElement(By.cssSelector("input[name=topic][value=climate]")).click();
        browser.findElement(By.cssSelector("button[value=publish]")).click();

        waitForText(By.cssSelector("[role=status]"), "Published");
        assertEquals("PUBLISHED", browser.findElement(By.cssSelector("span.status")).getText());
        String publicUrl = browser.findElement(By.linkText("see it on the site")).getAttribute("href");
        assertTrue(publicUrl.endsWith("/articles/glaciers-retreat-faster"), publicUrl);

        open("/articles/glaciers-retreat-faster");
        assertEquals("Glaciers retreat faster", browser.findElement(By.tagName("h1")).getText());
        assertTrue(browser.findElement(By.tagName("article")).getText().contains("Ice lost faster than expected."));

        open("/admin/articles?q=glaciers");
        List<WebElement> rows = browser.findElements(By.cssSelector("tbody tr"));
        assertEquals(1, rows.size());
        assertTrue(rows.get(0).getText().contains("Climate"));
    }

    @Test
    void aMissingTitleIsShownNextToItsField() {
        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        open("/admin/articles/new");
        browser.findElement(By.id("body")).sendKeys("Text without a title.");
        // bypass the browser's own check to see the server's answer
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("document.getElementById('title').removeAttribute('required')");
        browser.findElement(By.cssSelector("button[value=save]")).click();
        WebElement error = waitFor(By.id("title-error"));
        assertFalse(error.getText().isBlank());
        assertEquals("true", browser.findElement(By.id("title")).getAttribute("aria-invalid"));
        assertEquals("Text without a title.", browser.findElement(By.id("body")).getAttribute("value"), "nothing typed is lost");
    }

    @Test
    void onlyAdministratorsManageUsers() {
        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        open("/admin/users");
        assertTrue(browser.findElement(By.tagName("body")).getText().contains("Forbidden"), browser.getPageSource());

        browser.manage().deleteAllCookies();
        signIn(Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD);
        browser.findElement(By.linkText("Users")).click();
        waitFor(By.id("username")).sendKeys("reporter");
        browser.findElement(By.id("password")).sendKeys("a-long-enough-password");
        browser.findElement(By.xpath("//button[text()='Add user']")).click();
        waitForText(By.cssSelector("[role=status]"), "User created.");
        assertTrue(browser.findElement(By.tagName("tbody")).getText().contains("reporter"));
    }

    /**
     * The README's tour: the dashboard, the article editor, an issue's report and a reader's page, as an editor sees them
     * (target/screenshots/tour-*.png; copied into docs/images by hand when the pages change).
     */
    @Test
    void screenshotsForTheTour() throws Exception {
        wireMock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post("/api/v1/statuses").willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.aResponse().withBody("{\"id\":\"1\",\"url\":\"https://social.example/@news/1\"}")));
        io.restassured.RestAssured.given().auth().oauth2(fixtures.adminTokenForExistingAdmin())
                .contentType(io.restassured.http.ContentType.JSON)
                .body(java.util.Map.of("network", "MASTODON", "name", "Mastodon @news", "baseUrl", wireMock.baseUrl(),
                        "credentials", java.util.Map.of("accessToken", "t")))
                .post("/api/v1/channels").then().statusCode(201);
        dev.gazette.article.Article article = fixtures.published("Glaciers retreat faster than expected",
                "## The survey\n\nIce sheets lost **twice** the mass measured a decade ago.", "climate");
        long ana = fixtures.reader("ana@example.org", "Europe/Madrid", dev.gazette.subscriber.Frequency.DAILY, "climate").id;
        fixtures.reader("kenji@example.org", "Asia/Tokyo", dev.gazette.subscriber.Frequency.DAILY);
        long issue = fixtures.digestIssue("World this morning", "world-morning");
        publisher.publishDue();
        sender.sendDue();
        long newsletter = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> dev.gazette.digest.DigestIssue.<dev.gazette.digest.DigestIssue>findById(issue).newsletterId);

        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        java.nio.file.Path dir = java.nio.file.Path.of("target", "screenshots");
        java.nio.file.Files.createDirectories(dir);
        save(dir.resolve("tour-dashboard.png"));
        open("/admin/articles/" + article.id);
        waitFor(By.cssSelector("#preview h2"));
        save(dir.resolve("tour-article.png"));
        assertTrue(browser.findElement(By.tagName("main")).getText().contains("PUBLISHED"));
        open("/admin/newsletters/" + newsletter + "/issues/" + issue + "/report");
        waitFor(By.tagName("h1"));
        save(dir.resolve("tour-issue-report.png"));
        open("/admin/subscribers/" + ana);
        waitFor(By.tagName("h1"));
        save(dir.resolve("tour-reader.png"));
        assertTrue(browser.findElement(By.tagName("main")).getText().contains("ana@example.org"));
    }

    private void save(java.nio.file.Path file) throws java.io.IOException {
        java.io.File shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(org.openqa.selenium.OutputType.FILE);
        java.nio.file.Files.copy(shot.toPath(), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
