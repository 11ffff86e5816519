package dev.gazette.admin.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chromium.ChromiumDriver;

import dev.gazette.article.ArticleInput;
import dev.gazette.article.ArticleService;
import dev.gazette.digest.DigestIssue;
import dev.gazette.social.ChannelInput;
import dev.gazette.social.ChannelService;
import dev.gazette.social.Network;
import dev.gazette.testing.BrowserTest;
import dev.gazette.testing.Fixtures;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Phones and keyboards: at 390×844 no page scrolls sideways (wide tables scroll inside their labelled box), the focus
 * ring stands out at 3:1 or more from the background it is drawn on, and an invalid field is marked beyond colour.
 */
@QuarkusTest
class ResponsiveUiTest extends BrowserTest {

    private static final String WIDE_TABLE = """
            | City | Record day | Record night | Station | Source |
            |------|------------|--------------|---------|--------|
            | Seville | 46.0 °C | 31.2 °C | Seville-Airport-Meteorological-Station | national-meteorological-agency |
            """;

    @Inject
    ArticleService articles;

    @Inject
    ChannelService channels;

    @AfterEach
    void desktop() {
        if (browser != null) {
            ((ChromiumDriver) browser).executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    @Test
    void shouldFitAPhoneWithTablesScrollingInsideTheirBox() {
        fixtures.admin();
        fixtures.topic("Climate", "climate");
        long id = articles.create(new ArticleInput("Heatwave: what the records mean", null, "The numbers.", WIDE_TABLE,
                null, "https://images.example.org/heat.jpg", "A thermometer", null, null, "Ana Ruiz",
                List.of("climate"), "en", null)).id;
        articles.publishNow(id);
        for (int i = 0; i < 3; i++) {
            fixtures.activeSubscriber("a-rather-long-reader-address-" + i + "@subscribers.example.org");
        }
        long issue = fixtures.digestIssue("World this morning", "world-morning");
        long newsletter = QuarkusTransaction.requiringNew().call(() -> DigestIssue.<DigestIssue>findById(issue).newsletterId);
        phone();

        open("/");
        assertNoSidewaysScroll("/");
        open("/articles/heatwave-what-the-records-mean");
        assertNoSidewaysScroll("article");

        signIn(Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD);
        assertNoSidewaysScroll("/admin");
        assertTablesScrollInTheirBox("/admin");
        open("/admin/subscribers");
        waitFor(By.tagName("h1"));
        assertNoSidewaysScroll("/admin/subscribers");
        List<WebElement> boxes = assertTablesScrollInTheirBox("/admin/subscribers");
        assertTrue(boxes.stream().anyMatch(b -> number("return arguments[0].scrollWidth - arguments[0].clientWidth", b) > 0),
                "the subscribers table is wider than a phone and should scroll inside its box");

        // every other editor page with a table: articles, topics, feeds, newsletters and one newsletter's issues
        for (String page : List.of("/admin/articles", "/admin/topics", "/admin/newsletters", "/admin/newsletters/" + newsletter)) {
            open(page);
            assertNoSidewaysScroll(page);
            assertTablesScrollInTheirBox(page);
        }
        for (String page : List.of("/admin/articles/" + id, "/admin/feeds", "/admin/channels", "/admin/outbox")) {
            open(page);
            assertNoSidewaysScroll(page);
        }
    }

    @Test
    void shouldShowTheWholeFunnelTableOnALaptop() {
        fixtures.admin();
        channels.create(new ChannelInput(Network.MASTODON, "Mastodon of the newsroom", wireMock.baseUrl() + "/m", null,
                Map.of("accessToken", "t"), null, null, null, null, null, null, null, null, null));
        ((ChromiumDriver) browser).executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 1366, "height", 768, "deviceScaleFactor", 1, "mobile", false));
        signIn(Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD);
        open("/admin/stats");
        WebElement table = waitFor(By.id("funnel-table"));
        WebElement box = table.findElement(By.xpath(".."));
        long tableRight = number("return Math.ceil(arguments[0].getBoundingClientRect().right)", table);
        long boxRight = number("return Math.ceil(arguments[0].getBoundingClientRect().right)", box);
        assertTrue(tableRight <= boxRight, "the funnel table (right edge " + tableRight + ") is cut off by its box (" + boxRight + ")");
        assertTrue(boxRight <= number("return window.innerWidth"), "the funnel table's box reaches past the screen");
        assertTrue(number("return document.documentElement.scrollWidth") <= 1366, "the stats page scrolls sideways");
    }

    @Test
    void shouldDrawTheFocusRingAtThreeToOneOrMore() {
        fixtures.admin();
        open("/subscribe");
        waitFor(By.id("email")).sendKeys(Keys.TAB); // from the address field to the name field, by keyboard
        assertFocusRingContrast("public subscribe page");

        signIn(Fixtures.ADMIN, Fixtures.ADMIN_PASSWORD);
        browser.findElement(By.tagName("body")).sendKeys(Keys.TAB);
        assertFocusRingContrast("editor dashboard");
    }

    @Test
    void shouldMarkAnInvalidFieldBeyondColour() {
        open("/subscribe");
        waitFor(By.id("email")).sendKeys("not an address");
        // the form posts to gazette.site.base-url, port 8080; the test server listens elsewhere
        ((JavascriptExecutor) browser).executeScript("arguments[0].action = '/subscribe'",
                browser.findElement(By.cssSelector("main form")));
        submitAndWait(By.cssSelector("main form button[type=submit]"));

        WebElement email = browser.findElement(By.id("email"));
        assertEquals("true", email.getAttribute("aria-invalid"));
        assertEquals("email-error", email.getAttribute("aria-describedby"));
        WebElement message = browser.findElement(By.id("email-error"));
        assertTrue(message.isDisplayed());
        assertTrue(message.getText().startsWith("⚠Error: Email address"), message.getText());
        // the field's shape changes too: a thick left edge, not only a red border
        double left = Double.parseDouble(email.getCssValue("border-left-width").replace("px", ""));
        assertTrue(left >= 6, "left edge of the invalid field: " + left + "px");
        assertEquals(List.of(), browser.findElements(By.cssSelector("#name[aria-invalid]")), "a valid field stays unmarked");
    }

    private void phone() {
        ((ChromiumDriver) browser).executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", false));
    }

    private void assertNoSidewaysScroll(String page) {
        waitFor(By.tagName("h1"));
        long width = number("return document.documentElement.scrollWidth");
        long inner = number("return window.innerWidth");
        assertEquals(390, inner, "viewport width");
        assertTrue(width <= inner, page + " is " + width + " px wide on a " + inner + " px screen");
    }

    private List<WebElement> assertTablesScrollInTheirBox(String page) {
        List<WebElement> tables = browser.findElements(By.cssSelector("main table"));
        assertFalse(tables.isEmpty(), page + " shows no table");
        for (WebElement table : tables) {
            WebElement box = table.findElement(By.xpath(".."));
            assertTrue(box.getAttribute("class").contains("table-scroll"), page + ": a table outside a scrolling box");
            assertEquals("auto", box.getCssValue("overflow-x"), page);
            assertEquals("0", box.getAttribute("tabindex"), page + ": the box takes keyboard focus");
            assertEquals("region", box.getAttribute("role"), page);
            assertFalse(box.getAttribute("aria-label").isBlank(), page + ": the box is labelled");
            assertTrue(number("return Math.ceil(arguments[0].getBoundingClientRect().right)", box) <= 390,
                    page + ": a table box reaches past the screen");
        }
        return browser.findElements(By.cssSelector("main .table-scroll"));
    }

    private void assertFocusRingContrast(String page) {
        WebElement focused = browser.switchTo().activeElement();
        String ring = focused.getCssValue("outline-color");
        assertEquals("solid", focused.getCssValue("outline-style"), page + ": no focus ring on " + focused.getTagName());
        String background = (String) ((JavascriptExecutor) browser).executeScript("""
                for (let e = arguments[0].parentElement; e; e = e.parentElement) {
                  const c = getComputedStyle(e).backgroundColor;
                  if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c;
                }
                return 'rgb(255, 255, 255)';""", focused);
        double ratio = contrast(rgb(ring), rgb(background));
        assertTrue(ratio >= 3, page + ": focus ring " + ring + " on " + background + " has a contrast of " + ratio);
    }

    private long number(String script, Object... args) {
        return ((Number) ((JavascriptExecutor) browser).executeScript(script, args)).longValue();
    }

    private static int[] rgb(String css) {
        String[] parts = css.replaceAll("[^0-9.,]", "").split(",");
        return new int[] { Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]) };
    }

    /** WCAG 2 contrast ratio of two sRGB colours. */
    static double contrast(int[] a, int[] b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(int[] c) {
        double[] l = new double[3];
        for (int i = 0; i < 3; i++) {
            double v = c[i] / 255.0;
            l[i] = v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
    }
}
