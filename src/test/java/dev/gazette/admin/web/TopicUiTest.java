package dev.gazette.admin.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import dev.gazette.testing.BrowserTest;
import dev.gazette.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Topics in Chromium: a topic an editor creates is offered to readers at once, and merging shows its effects first.
 */
@QuarkusTest
class TopicUiTest extends BrowserTest {

    private static final By NEW_TOPIC_BOX = By.cssSelector("input[name=topics][value=local-politics]");

    @BeforeEach
    void people() {
        fixtures.editorToken();
        fixtures.topic("Climate", "climate");
    }

    @Test
    void aTopicCreatedInTheUiIsOfferedOnTheSubscribeForm() {
        // Fetched outside the browser, which would keep its own copy for the page's max-age: the server's cache is
        // what must learn of the new topic.
        io.restassured.RestAssured.given().get("/").then().statusCode(200)
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("local-politics")));

        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        browser.findElement(By.linkText("Topics")).click();
        waitFor(By.id("name")).sendKeys("Local politics");
        browser.findElement(By.id("description")).sendKeys("Councils, mayors and budgets.");
        submitAndWait(By.xpath("//button[text()='Create topic']"));
        waitForText(By.cssSelector("[role=status]"), "Topic created");
        assertTrue(browser.findElement(By.tagName("tbody")).getText().contains("Local politics /topics/local-politics 0 0"),
                browser.findElement(By.tagName("tbody")).getText());

        open("/");
        assertEquals(1, browser.findElements(NEW_TOPIC_BOX).size(), "offered on the front page's subscribe form");

        open("/subscribe");
        WebElement box = waitFor(NEW_TOPIC_BOX);
        assertEquals("Local politics", box.findElement(By.xpath("..")).getText().trim());
        assertTrue(box.isEnabled(), "a reader can choose it");
    }

    @Test
    void mergingShowsWhatMovesBeforeTheEditorConfirms() {
        fixtures.topic("Environment", "environment");
        fixtures.reader("ana@example.org", "UTC", dev.gazette.subscriber.Frequency.DAILY, "climate");
        fixtures.published("Glaciers", "Ice.", "climate");

        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        open("/admin/topics");
        browser.findElement(By.linkText("Climate")).click();
        waitFor(By.id("into"));
        submitAndWait(By.xpath("//button[text()='Review the merge']"));
        assertTrue(browser.findElement(By.tagName("main")).getText().contains(
                "Merging Climate into Environment: 1 reader and 1 article move to Environment; 0 readers and 0 articles"
                        + " that already had both keep one."), browser.findElement(By.tagName("main")).getText());
        submitAndWait(By.xpath("//button[text()='Merge into Environment']"));
        waitForText(By.cssSelector("[role=status]"), "Merged.");
        assertEquals("Environment", browser.findElement(By.tagName("h1")).getText());
        assertTrue(browser.findElement(By.tagName("main")).getText().contains("1 article · 1 reader"));
    }
}
