package dev.gazette.admin.web;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import dev.gazette.subscriber.Frequency;
import dev.gazette.subscriber.Subscriber;
import dev.gazette.subscriber.SubscriberStatus;
import dev.gazette.subscriber.SuppressionReason;
import dev.gazette.subscriber.SuppressionService;
import dev.gazette.testing.BrowserTest;
import dev.gazette.testing.Fixtures;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The Subscribers section in Chromium: a CSV import watched until its progress bar is full, then its summary and
 * per-row report; searching, a reader's page, and suppressing then lifting their address.
 */
@QuarkusTest
class SubscriberUiTest extends BrowserTest {

    @Inject
    SuppressionService suppressions;

    @Inject
    AgroalDataSource dataSource;

    @BeforeEach
    void people() {
        fixtures.editorToken();
        fixtures.topic("Climate", "climate");
        fixtures.topic("Cities", "cities");
    }

    @Test
    void anEditorImportsACsvAndWatchesItsProgressReachTheEnd() throws Exception {
        suppressions.suppress("blocked@example.org", SuppressionReason.BLOCKED, "spam trap");
        Path dir = Files.createTempDirectory("gazette-import-ui");
        Path csv = dir.resolve("readers.csv");
        Files.writeString(csv, """
                email,name,topics
                ana@example.org,Ana,climate
                ben@example.org,Ben,
                carol@example.org,Carol,climate;cities
                not-an-address,Broken,
                ANA@example.org,Ana Again,
                blocked@example.org,Blocked,
                """);

        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        browser.findElement(By.linkText("Subscribers")).click();
        waitFor(By.linkText("Import CSV")).click();
        waitFor(By.id("file")).sendKeys(csv.toAbsolutePath().toString());
        assertEquals("Import subscribers", browser.findElement(By.tagName("h1")).getText());

        // Hold the import at its first database step (the suppression check), so the page shows it running.
        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(false);
            try (Statement st = lock.createStatement()) {
                st.execute("lock table suppression in access exclusive mode");
            }
            browser.findElement(By.xpath("//button[text()='Start the import']")).click();
            waitForText(By.id("import-rows"), "0 of 6 rows · 0%");
            assertEquals("RUNNING", browser.findElement(By.id("import-status")).getText());
            WebElement bar = browser.findElement(By.id("import-bar"));
            assertEquals("0", bar.getDomAttribute("value"));
            assertEquals("100", bar.getDomAttribute("max"));
            assertEquals("every 1s", browser.findElement(By.id("import-progress")).getDomAttribute("hx-trigger"));
            assertTrue(browser.findElements(By.id("import-summary")).isEmpty(), "no summary while it runs");
            lock.rollback();
        }

        // htmx polls until the import is done, then the bar is full and the summary and the report appear.
        await(Duration.ofSeconds(20), ExpectedConditions.textToBe(By.id("import-status"), "DONE"));
        WebElement bar = browser.findElement(By.id("import-bar"));
        assertEquals(bar.getDomAttribute("max"), bar.getDomAttribute("value"), "the bar ends at its max");
        assertEquals("100", bar.getDomAttribute("value"));
        assertEquals("6 of 6 rows · 100%", browser.findElement(By.id("import-rows")).getText());
        assertNull(browser.findElement(By.id("import-progress")).getDomAttribute("hx-trigger"), "polling stopped");
        assertEquals("Import finished.", browser.findElement(By.cssSelector("#import-progress [role=status]")).getText());
        assertEquals("3", browser.findElement(By.id("count-created")).getText());
        assertEquals("1", browser.findElement(By.id("count-merged")).getText());
        assertEquals("1", browser.findElement(By.id("count-skipped")).getText());
        assertEquals("1", browser.findElement(By.id("count-invalid")).getText());
        List<WebElement> report = browser.findElements(By.cssSelector("#import-report tbody tr"));
        assertEquals(2, report.size());
        assertEquals("5 not-an-address not a valid email address", report.get(0).getText());
        assertEquals("7 blocked@example.org suppressed: blocked", report.get(1).getText());

        String reportUrl = browser.findElement(By.linkText("Download the report (CSV)")).getAttribute("href");
        assertTrue(reportUrl.matches(".*/admin/subscribers/imports/\\d+/report\\.csv"), reportUrl);
        String session = browser.manage().getCookieNamed("gazette-session").getValue();
        String downloaded = given().cookie("gazette-session", session).get(reportUrl).then().statusCode(200)
                .header("Content-Disposition", org.hamcrest.Matchers.startsWith("attachment")).extract().asString();
        assertEquals("row,email,reason\r\n5,not-an-address,not a valid email address\r\n7,blocked@example.org,suppressed: blocked\r\n",
                downloaded);

        Subscriber ana = QuarkusTransaction.requiringNew().call(() -> Subscriber.<Subscriber> find("emailKey", "ana@example.org")
                .firstResult());
        assertEquals("Ana Again", ana.name, "later rows win");
        assertEquals(3L, QuarkusTransaction.requiringNew().call(() -> Subscriber.count()));

        browser.findElement(By.linkText("Imports")).click();
        List<WebElement> recent = waitFor(By.cssSelector("tbody")).findElements(By.tagName("tr"));
        assertEquals(1, recent.size());
        assertTrue(recent.get(0).getText().startsWith("#"), recent.get(0).getText());
        assertTrue(recent.get(0).getText().contains("readers.csv DONE 6 of 6 3 1 1 1"), recent.get(0).getText());
    }

    @Test
    void aDryRunSavesNothing() throws Exception {
        Path csv = Files.createTempDirectory("gazette-import-ui").resolve("check.csv");
        Files.writeString(csv, "email\nnew@example.org\nother@example.org\n");
        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        open("/admin/subscribers/imports");
        waitFor(By.id("file")).sendKeys(csv.toAbsolutePath().toString());
        browser.findElement(By.id("dryRun")).click();
        browser.findElement(By.xpath("//button[text()='Start the import']")).click();
        await(Duration.ofSeconds(20), ExpectedConditions.textToBe(By.id("import-status"), "DONE"));
        assertTrue(browser.findElement(By.tagName("h1")).getText().endsWith("(dry run)"));
        assertEquals("2", browser.findElement(By.id("count-created")).getText());
        assertEquals("Every row was imported.", browser.findElement(By.cssSelector("#import-progress .empty")).getText());
        assertEquals(0L, QuarkusTransaction.requiringNew().call(() -> Subscriber.count()));
    }

    @Test
    void anEditorFindsAReaderAndSuppressesThenLiftsTheirAddress() {
        fixtures.reader("ana@example.org", "Europe/Paris", Frequency.DAILY, "climate");
        fixtures.reader("ben@example.org", "UTC", Frequency.WEEKLY, "cities");
        fixtures.reader("bob@example.org", "UTC", Frequency.WEEKLY, "cities");
        QuarkusTransaction.requiringNew().run(() -> {
            Subscriber bob = Subscriber.find("emailKey", "bob@example.org").firstResult();
            bob.status = SubscriberStatus.PENDING;
        });

        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        browser.findElement(By.linkText("Subscribers")).click();
        waitFor(By.cssSelector("h1"));
        assertEquals("page", browser.findElement(By.linkText("Subscribers")).getDomAttribute("aria-current"));
        assertEquals("2 active", browser.findElement(By.cssSelector("a.card[href$='status=ACTIVE']")).getText());
        assertEquals("1 pending", browser.findElement(By.cssSelector("a.card[href$='status=PENDING']")).getText());
        assertEquals(List.of("bob@example.org", "ben@example.org", "ana@example.org"), emails());

        browser.findElement(By.id("email")).sendKeys("B");
        submit("Search");
        assertEquals(List.of("bob@example.org", "ben@example.org"), emails());
        new Select(browser.findElement(By.id("status"))).selectByValue("ACTIVE");
        submit("Search");
        assertEquals(List.of("ben@example.org"), emails());
        assertEquals("B", browser.findElement(By.id("email")).getDomProperty("value"), "the search is kept");
        assertEquals("ACTIVE", new Select(browser.findElement(By.id("status"))).getFirstSelectedOption().getDomAttribute("value"));

        open("/admin/subscribers?topic=climate");
        assertEquals(List.of("ana@example.org"), emails());
        open("/admin/subscribers?email=nobody");
        assertTrue(browser.findElement(By.cssSelector("p.empty")).getText().startsWith("No reader matches."));

        open("/admin/subscribers?limit=2");
        assertEquals(List.of("bob@example.org", "ben@example.org"), emails());
        browser.findElement(By.linkText("Next page")).click();
        waitFor(By.linkText("First page"));
        assertEquals(List.of("ana@example.org"), emails());
        assertTrue(browser.findElements(By.linkText("Next page")).isEmpty());

        browser.findElement(By.linkText("ana@example.org")).click();
        waitForText(By.tagName("h1"), "ana@example.org");
        assertEquals("ACTIVE", browser.findElement(By.id("subscriber-status")).getText());
        assertEquals("Climate", browser.findElement(By.id("subscriber-topics")).getText());
        String details = browser.findElement(By.cssSelector("table[aria-label=Reader]")).getText();
        assertTrue(details.contains("Frequency daily"), details);
        assertTrue(details.contains("Time zone Europe/Paris"), details);
        assertTrue(details.contains("Consent form"), details);
        assertEquals(List.of("CONFIRMED"), historyTypes());
        assertEquals("Not suppressed.", browser.findElement(By.id("suppression")).getText());

        new Select(browser.findElement(By.id("reason"))).selectByVisibleText("Hard bounce");
        browser.findElement(By.id("note")).sendKeys("550 5.1.1 mailbox gone");
        submit("Suppress");
        waitForText(By.cssSelector("[role=status]"), "The address is suppressed");
        assertEquals("BOUNCED", browser.findElement(By.id("subscriber-status")).getText());
        assertTrue(browser.findElement(By.id("suppression")).getText().contains("HARD_BOUNCE · 550 5.1.1 mailbox gone"),
                browser.findElement(By.id("suppression")).getText());
        assertEquals(List.of("CONFIRMED", "SUPPRESSED"), historyTypes());
        assertTrue(browser.findElements(By.id("reason")).isEmpty(), "a bounced address is lifted, not suppressed again");

        submit("Lift the suppression");
        waitForText(By.cssSelector("[role=status]"), "The suppression is lifted.");
        assertEquals("ACTIVE", browser.findElement(By.id("subscriber-status")).getText());
        assertEquals("Not suppressed.", browser.findElement(By.id("suppression")).getText());
        assertEquals(List.of("CONFIRMED", "SUPPRESSED", "UNSUPPRESSED"), historyTypes());
        assertTrue(suppressions.find("ana@example.org").isEmpty());
    }

    /** Clicks the button with this text and waits for the next page. */
    private void submit(String button) {
        WebElement element = browser.findElement(By.xpath("//button[text()='" + button + "']"));
        element.click();
        waitUntilGone(element);
        waitFor(By.tagName("h1"));
    }

    private List<String> emails() {
        return browser.findElements(By.cssSelector("tbody tr td:first-child a")).stream().map(WebElement::getText).toList();
    }

    private List<String> historyTypes() {
        return browser.findElements(By.cssSelector("#history tbody tr td:nth-child(2)")).stream().map(WebElement::getText)
                .toList();
    }
}
