package dev.gazette.admin.web;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.gazette.lifecycle.WebhookDispatcher;
import dev.gazette.testing.BrowserTest;
import dev.gazette.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The webhooks pages in Chromium: adding an endpoint with a write-only secret, an error next to its field, the delivery
 * log of an event the receiver refused, and replaying that delivery.
 */
@QuarkusTest
class WebhookUiTest extends BrowserTest {

    private static final String SECRET = "ui-receiver-secret-42f9a1";
    private static final String PATH = "/hooks/ui";

    @Inject
    WebhookDispatcher dispatcher;

    @BeforeEach
    void editor() {
        fixtures.editorToken();
    }

    private List<LoggedRequest> received() {
        return wireMock.findAll(postRequestedFor(urlEqualTo(PATH)));
    }

    @Test
    void anEditorAddsAnEndpointSeesItsDeliveryLogAndReplaysADelivery() {
        wireMock.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(410)));
        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        browser.findElement(By.linkText("Webhooks")).click();
        assertEquals("page", waitFor(By.linkText("Webhooks")).getAttribute("aria-current"));
        browser.findElement(By.linkText("Add an endpoint")).click();

        // a secret too short is refused next to its field, and not shown back
        waitFor(By.id("name")).sendKeys("CRM");
        browser.findElement(By.id("url")).sendKeys(wireMock.baseUrl() + PATH);
        browser.findElement(By.id("secret")).sendKeys("short");
        browser.findElement(By.xpath("//input[@value='article.published']")).click();
        submitAndWait(By.xpath("//button[text()='Add endpoint']"));
        assertEquals("is too short: use at least 16 characters", browser.findElement(By.id("secret-error")).getText());
        assertEquals("true", browser.findElement(By.id("secret")).getAttribute("aria-invalid"));
        assertEquals("", browser.findElement(By.id("secret")).getAttribute("value"));
        assertTrue(browser.findElement(By.xpath("//input[@value='article.published']")).isSelected(), "choices kept");

        browser.findElement(By.id("secret")).sendKeys(SECRET);
        submitAndWait(By.xpath("//button[text()='Add endpoint']"));
        waitForText(By.cssSelector("[role=status]"), "Endpoint added");
        assertEquals("CRM", browser.findElement(By.tagName("h1")).getText());
        assertFalse(browser.getPageSource().contains(SECRET), "the secret is never sent back");
        assertEquals("No delivery yet: events that happen from now on show here.",
                browser.findElement(By.cssSelector("#deliveries + .empty")).getText());

        fixtures.published("Storm warning for the coast", "Winds of 120 km/h.");
        assertEquals(1, dispatcher.deliverDue());
        assertEquals(1, received().size());

        browser.navigate().refresh();
        WebElement row = waitFor(By.cssSelector("#deliveries ~ .table-scroll table tbody tr"));
        List<WebElement> cells = row.findElements(By.tagName("td"));
        assertTrue(cells.get(0).getText().startsWith("article.published"), cells.get(0).getText());
        assertEquals("FAILED", row.findElement(By.cssSelector(".status")).getText());
        assertEquals("1", cells.get(2).getText());
        assertTrue(cells.get(3).getText().startsWith("HTTP 410"), cells.get(3).getText());

        // the receiver is fixed; the editor replays the delivery
        wireMock.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)));
        submitAndWait(By.xpath("//tr[starts-with(@id,'delivery-')]//button[text()='Replay']"));
        waitForText(By.cssSelector("[role=status]"), "Delivery queued again");
        assertEquals("PENDING", browser.findElement(By.cssSelector("#deliveries ~ .table-scroll .status")).getText());
        assertEquals(1, dispatcher.deliverDue());
        browser.navigate().refresh();
        assertEquals("DELIVERED", waitFor(By.cssSelector("#deliveries ~ .table-scroll .status")).getText());
        assertEquals(2, received().size());
        assertEquals(received().get(0).getHeader("X-Gazette-Delivery"), received().get(1).getHeader("X-Gazette-Delivery"),
                "a replay keeps the delivery id");

        browser.findElement(By.linkText("All webhooks")).click();
        WebElement listed = waitFor(By.cssSelector(".table-scroll table tbody tr"));
        assertEquals("CRM\n" + wireMock.baseUrl() + PATH, listed.findElements(By.tagName("td")).get(0).getText());
        assertEquals("article.published", listed.findElements(By.tagName("td")).get(1).getText());
        assertEquals("Active", listed.findElement(By.cssSelector(".status")).getText());
    }
}
