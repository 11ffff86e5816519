package dev.gazette.admin.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import dev.gazette.digest.Cadence;
import dev.gazette.digest.Newsletter;
import dev.gazette.digest.NewsletterInput;
import dev.gazette.digest.NewsletterService;
import dev.gazette.subscriber.Frequency;
import dev.gazette.subscriber.Subscriber;
import dev.gazette.testing.BrowserTest;
import dev.gazette.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Readers in Chromium: preferences edited on a reader's page change what their next digest holds, and an import whose
 * file names a topic that does not exist says so on its page.
 */
@QuarkusTest
class ReaderUiTest extends BrowserTest {

    @Inject
    NewsletterService newsletters;

    @BeforeEach
    void topics() {
        fixtures.editorToken();
        fixtures.topic("Climate", "climate");
        fixtures.topic("Cities", "cities");
    }

    @Test
    void aReadersPreferencesEditedInTheUiChangeTheirNextDigest() {
        Newsletter morning = newsletters.create(new NewsletterInput("Morning", "morning", null, List.of(), Cadence.DAILY, null,
                "07:00", "Gazette", "news@news.example.org", null, null, null, null, null, null, null));
        fixtures.published("Glaciers retreat", "Ice.", "climate");
        fixtures.published("Trams return", "Rails.", "cities");
        Subscriber ana = fixtures.reader("ana@example.org", "UTC", Frequency.WEEKLY, "climate");

        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        open("/admin/subscribers/" + ana.id);
        assertEquals("Climate", browser.findElement(By.id("subscriber-topics")).getText());
        browser.findElement(By.linkText("Edit preferences")).click();
        WebElement climate = waitFor(By.cssSelector("input[name=topics][value=climate]"));
        assertTrue(climate.isSelected());
        climate.click();
        browser.findElement(By.cssSelector("input[name=topics][value=cities]")).click();
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("frequency"))).selectByVisibleText("daily");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("timezone"))).selectByVisibleText("Europe/Paris");
        submitAndWait(By.xpath("//button[text()='Save']"));

        waitForText(By.cssSelector("[role=status]"), "The reader's preferences are saved");
        assertEquals("Cities", browser.findElement(By.id("subscriber-topics")).getText());
        String history = browser.findElement(By.id("history")).getText();
        assertTrue(history.contains("Edited by editor: topics climate → cities, frequency weekly → daily, time zone UTC →"
                + " Europe/Paris"), history);

        // The digest the reader would get next, chosen by their address on the newsletter's page.
        open("/admin/newsletters/" + morning.id);
        browser.findElement(By.id("preview-reader")).sendKeys("ana@example.org");
        submitAndWait(By.xpath("//button[text()='Preview']"));
        await(Duration.ofSeconds(10), ExpectedConditions.textToBe(By.id("digest-subject"), "Morning: Trams return"));
        String digest = browser.findElement(By.id("digest-text")).getText();
        String items = digest.contains("ALSO READ") ? digest.substring(0, digest.indexOf("ALSO READ")) : digest;
        assertTrue(items.contains("Trams return"), digest);
        assertFalse(items.contains("Glaciers retreat"), digest);
    }

    @Test
    void anImportWithAnUnknownTopicReportsIt() throws Exception {
        Path csv = Files.createTempDirectory("gazette-import-topics").resolve("members.csv");
        Files.writeString(csv, """
                email,topics,time_zone
                ana@example.org,climate;sport,Europe/Paris
                ben@example.org,sport,
                cat@example.org,cities,Nowhere/Town
                """);

        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        open("/admin/subscribers/imports");
        waitFor(By.id("file")).sendKeys(csv.toAbsolutePath().toString());
        assertFalse(browser.findElement(By.id("createTopics")).isSelected(), "off by default");
        browser.findElement(By.xpath("//button[text()='Start the import']")).click();

        await(Duration.ofSeconds(20), ExpectedConditions.textToBe(By.id("import-status"), "DONE"));
        assertEquals("2", browser.findElement(By.id("count-created")).getText());
        assertEquals("1", browser.findElement(By.id("count-invalid")).getText());
        assertTrue(browser.findElement(By.id("unknown-topics-count")).getText()
                .startsWith("1 topic named in the file did not exist."), browser.findElement(By.id("unknown-topics-count")).getText());
        List<WebElement> unknown = browser.findElements(By.cssSelector("#unknown-topics tbody tr"));
        assertEquals(1, unknown.size());
        assertEquals("sport 2 not imported", unknown.get(0).getText());
        assertEquals("1 row not imported", browser.findElement(By.id("report-count")).getText());
        assertEquals("4 cat@example.org time zone Nowhere/Town is not known (use a name such as Europe/Paris)",
                browser.findElement(By.cssSelector("#import-report tbody tr")).getText());
    }
}
