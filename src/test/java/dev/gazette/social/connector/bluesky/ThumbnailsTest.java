package dev.gazette.social.connector.bluesky;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.gazette.social.spi.SocialHttp;

class ThumbnailsTest {

    static WireMockServer server;
    final Thumbnails thumbnails = new Thumbnails(new SocialHttp(Duration.ofSeconds(2), Duration.ofSeconds(2), true,
            "Gazette/test", Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC)), 1_000_000);

    @BeforeAll
    static void start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @BeforeEach
    void reset() {
        server.resetAll();
    }

    @Test
    void smallPngIsUploadedAsItIsEvenWithoutAUsableContentType() throws IOException {
        byte[] png = image(16, 16, "png");
        server.stubFor(get("/a").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/octet-stream").withBody(png)));

        Thumbnails.Image image = thumbnails.fetch(url("/a")).orElseThrow();

        assertEquals("image/png", image.contentType());
        assertArrayEquals(png, image.bytes());
    }

    @Test
    void typeBlueskyDoesNotShowIsConvertedToJpeg() throws IOException {
        byte[] bmp = image(16, 8, "bmp");
        server.stubFor(get("/b").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "image/bmp").withBody(bmp)));

        Thumbnails.Image image = thumbnails.fetch(url("/b")).orElseThrow();

        assertEquals("image/jpeg", image.contentType());
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image.bytes()));
        assertEquals(16, decoded.getWidth());
        assertEquals(8, decoded.getHeight());
    }

    @Test
    void serverErrorOrNonImageGivesNoThumb() {
        server.stubFor(get("/c").willReturn(aResponse().withStatus(500)));
        server.stubFor(get("/d").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withBody("<html></html>")));

        assertTrue(thumbnails.fetch(url("/c")).isEmpty());
        assertTrue(thumbnails.fetch(url("/d")).isEmpty());
        assertTrue(thumbnails.fetch("not a url").isEmpty());
    }

    @Test
    void shrinkScalesDownALargeNoisyImageUnderTheLimit() throws IOException {
        BufferedImage noisy = new BufferedImage(2400, 1600, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(4);
        for (int y = 0; y < noisy.getHeight(); y++) {
            for (int x = 0; x < noisy.getWidth(); x++) {
                noisy.setRGB(x, y, random.nextInt());
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(noisy, "png", png);
        assertTrue(png.size() > 5_000_000, "source " + png.size());

        byte[] jpeg = Thumbnails.shrink(png.toByteArray(), 1_000_000).orElseThrow();

        assertTrue(jpeg.length <= 1_000_000, "shrunk to " + jpeg.length);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(jpeg));
        assertTrue(decoded.getWidth() <= Thumbnails.MAX_THUMB_SIDE, "width " + decoded.getWidth());
        assertEquals(3.0 / 2.0, (double) decoded.getWidth() / decoded.getHeight(), 0.01);
    }

    @Test
    void shrinkGivesUpOnFormatsImageIoCannotRead() {
        assertTrue(Thumbnails.shrink("<svg xmlns='http://www.w3.org/2000/svg'/>".getBytes(StandardCharsets.UTF_8),
                1000).isEmpty());
    }

    @Test
    void sniffKnowsTheCardFormats() throws IOException {
        assertEquals("image/png", Thumbnails.sniff(image(2, 2, "png")));
        assertEquals("image/jpeg", Thumbnails.sniff(image(2, 2, "jpg")));
        assertEquals("image/gif", Thumbnails.sniff(image(2, 2, "gif")));
        assertEquals("image/webp", Thumbnails.sniff("RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1)));
        assertNull(Thumbnails.sniff("<svg/>".getBytes(StandardCharsets.UTF_8)));
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    private static byte[] image(int width, int height, String format) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xFF0000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }
}
