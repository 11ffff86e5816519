package dev.gazette.admin.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

import dev.gazette.social.ChannelInput;
import dev.gazette.social.ChannelService;
import dev.gazette.social.Network;
import dev.gazette.testing.BrowserTest;
import dev.gazette.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * A lead image uploaded in Chromium: chosen with the file picker in the editor, it shows as a thumbnail there, in the
 * card each channel will post, on the article's page and in its link-card tags.
 */
@QuarkusTest
class LeadImageUiTest extends BrowserTest {

    private static final Pattern MEDIA = Pattern.compile("/media/([0-9a-f]{32})(-[a-z]+)?\\.jpg$");

    @Inject
    ChannelService channels;

    @BeforeEach
    void people() {
        fixtures.editorToken();
        fixtures.topic("Climate", "climate");
        channels.create(new ChannelInput(Network.MASTODON, "Mastodon @news", wireMock.baseUrl(), null,
                Map.of("accessToken", "t"), null, null, null, null, null, null, null, null, null));
    }

    private static Path picture() throws Exception {
        BufferedImage image = new BufferedImage(1600, 1000, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(30, 90, 160));
        g.fillRect(0, 0, 1600, 1000);
        g.setColor(new Color(240, 240, 250));
        g.fillOval(400, 200, (int) (System.nanoTime() % 500) + 300, 500);
        g.dispose();
        Path file = Files.createDirectories(Path.of("target", "lead-image-ui")).resolve("glacier.png").toAbsolutePath();
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    private static String name(String src) {
        Matcher m = MEDIA.matcher(src);
        assertTrue(m.find(), src);
        return m.group(1);
    }

    /** The width of the picture at {@code path} as the browser decodes it, loaded from the page open now. */
    private long decodedWidth(String path) {
        return ((Number) ((JavascriptExecutor) browser).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + " const img = new Image(); img.onload = () => done(img.naturalWidth); img.onerror = () => done(0);"
                + " img.src = arguments[0];", path)).longValue();
    }

    @Test
    void anUploadedImageAppearsInTheEditorTheCardAndOnThePage() throws Exception {
        Path file = picture();
        signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD);
        open("/admin/articles/new");
        waitFor(By.id("title")).sendKeys("Glaciers retreat faster");
        browser.findElement(By.id("body")).sendKeys("Ice lost *faster* than expected.");
        browser.findElement(By.cssSelector("input[name=topic][value=climate]")).click();
        browser.findElement(By.id("imageFile")).sendKeys(file.toString());
        browser.findElement(By.id("imageAlt")).sendKeys("The glacier's edge from the air");
        browser.findElement(By.cssSelector("button[value=publish]")).click();
        waitForText(By.cssSelector("[role=status]"), "Published");

        String thumb = browser.findElement(By.cssSelector("img.lead-thumb")).getAttribute("src");
        String name = name(thumb);
        assertTrue(thumb.endsWith("/media/" + name + "-thumb.jpg"), thumb);
        assertTrue(browser.findElement(By.id("imageUrl")).getAttribute("value").endsWith("/media/" + name + ".jpg"),
                "the address of the uploaded image is the article's lead image");
        String card = browser.findElement(By.cssSelector(".linkcard img")).getAttribute("src");
        assertTrue(card.endsWith("/media/" + name + "-card.jpg"), "the channel's card shows the 1200×630 variant: " + card);
        assertEquals("The glacier's edge from the air", browser.findElement(By.cssSelector(".linkcard img")).getAttribute("alt"));

        open("/articles/glaciers-retreat-faster");
        assertTrue(browser.findElement(By.cssSelector("article figure img")).getAttribute("src").endsWith("/media/" + name + ".jpg"));
        assertTrue(browser.findElement(By.cssSelector("meta[property='og:image']")).getAttribute("content")
                .endsWith("/media/" + name + "-card.jpg"));

        // the files the page and the card point at, as the browser decodes them
        assertEquals(1600L, decodedWidth("/media/" + name + ".jpg"));
        assertEquals(1200L, decodedWidth("/media/" + name + "-card.jpg"));
        assertEquals(400L, decodedWidth("/media/" + name + "-thumb.jpg"));
    }
}
