package dev.gazette.admin.web;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

import dev.gazette.article.Article;
import dev.gazette.article.ArticleStatus;
import dev.gazette.testing.BrowserTest;
import dev.gazette.testing.EditorSession;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.NewsroomZoneProfile;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Scheduling on the newsroom's clock (Europe/Paris): the time an editor types is Paris time on that day, summer or
 * winter, and the scheduled time shows again in the editor and the list, in Paris time with the UTC instant on hover.
 * The test clock stands on 2 March 2026; Paris moves to summer time on 29 March at 02:00.
 */
@QuarkusTest
@TestProfile(NewsroomZoneProfile.class)
class SchedulingUiTest extends BrowserTest {

    private long id;

    @BeforeEach
    void draft() {
        fixtures.editorToken();
        fixtures.topic("Climate", "climate");
        id = fixtures.draft("Glaciers retreat", "Ice *lost*.", "climate").id;
    }

    private static Article article(long id) {
        return QuarkusTransaction.requiringNew().call(() -> Article.<Article>findById(id));
    }

    @Test
    void aScheduledArticleShowsItsLocalTime() {
        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        open("/admin/articles/" + id);
        WebElement when = waitFor(By.id("publishAt"));
        assertEquals("Or publish at (Europe/Paris time)",
                browser.findElement(By.cssSelector("label[for=publishAt]")).getText());
        // The browser's own date picker differs by locale; the value it submits is the same.
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1]", when, "2026-03-29T09:30");
        submitAndWait(By.xpath("//button[text()='Schedule']"));
        waitForText(By.cssSelector("[role=status]"), "Scheduled.");

        Article saved = article(id);
        assertEquals(ArticleStatus.SCHEDULED, saved.status);
        assertEquals(Instant.parse("2026-03-29T07:30:00Z"), saved.publishAt, "09:30 in Paris on a summer-time day");

        WebElement goesLive = browser.findElement(By.cssSelector("main p time"));
        assertEquals("Sun 29 Mar, 09:30 CEST", goesLive.getText());
        assertEquals("2026-03-29 07:30:00 UTC", goesLive.getAttribute("title"));
        assertEquals("2026-03-29T09:30", browser.findElement(By.id("publishAt")).getAttribute("value"),
                "the field holds the scheduled time, to move it");

        open("/admin/articles");
        WebElement row = waitFor(By.xpath("//tr[td/a[text()='Glaciers retreat']]"));
        assertTrue(row.getText().contains("SCHEDULED"), row.getText());
        assertEquals("Sun 29 Mar, 09:30 CEST", row.findElement(By.tagName("time")).getText());
        assertTrue(browser.findElement(By.tagName("main")).getText().contains("1 article."));
    }

    @Test
    void aWinterTimeIsAnHourFromUtcAndASkippedTimeIsRefusedByName() {
        EditorSession editor = EditorSession.signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD, "/admin/articles/" + id);
        editor.form().formParam("id", id).formParam("title", "Glaciers retreat").formParam("body", "Ice *lost*.")
                .formParam("topic", "climate").formParam("action", "schedule").formParam("publishAt", "2026-03-29T02:30")
                .post("/admin/articles").then().statusCode(400)
                .body(containsString("there is no 02:30 on 29 March 2026 in Europe/Paris: the clocks go from 02:00 straight"
                        + " to 03:00. Choose another time"))
                .body(containsString("aria-invalid=\"true\""));
        assertEquals(ArticleStatus.DRAFT, article(id).status, "nothing scheduled");

        editor.form().formParam("id", id).formParam("title", "Glaciers retreat").formParam("body", "Ice *lost*.")
                .formParam("topic", "climate").formParam("action", "schedule").formParam("publishAt", "2026-03-10T09:30")
                .post("/admin/articles").then().statusCode(303);
        assertEquals(Instant.parse("2026-03-10T08:30:00Z"), article(id).publishAt, "09:30 in Paris in winter");

        editor.form().formParam("id", id).formParam("title", "Glaciers retreat").formParam("body", "Ice *lost*.")
                .formParam("topic", "climate").formParam("action", "schedule").formParam("publishAt", "tomorrow")
                .post("/admin/articles").then().statusCode(400)
                .body(containsString("must be a date and time, like 2027-03-28T09:30"));
    }
}
