package dev.gazette.article;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.article.media.MediaService;
import dev.gazette.testing.EditorSession;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.GazetteTest;
import dev.gazette.testing.MultipartForm;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * Uploading a lead image through the editor's form, over the real HTTP stack: the image and its card and thumbnail
 * variants are made once and served for a year; the page, its link-card tags and the lists use them; an upload that
 * is not an image, too large, too many pixels, or sent with a form that is refused stores nothing.
 */
@QuarkusTest
class LeadImageUploadTest extends GazetteTest {

    private static final Pattern MEDIA_URL = Pattern.compile("http://localhost:8080/media/([0-9a-f]{32})\\.jpg");
    /** A 1×1 lossless WebP picture. */
    private static final String WEBP = "UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==";

    @Inject
    MediaService media;

    private EditorSession editor;

    @BeforeEach
    void signIn() {
        fixtures.editorToken();
        fixtures.topic("Climate", "climate");
        editor = EditorSession.signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD, "/admin/articles/new");
    }

    /** The article form as the browser sends it with a file: multipart, with its CSRF token. */
    private MultipartForm form(String title, String alt) {
        MultipartForm form = new MultipartForm().field("csrf-token", editor.csrf()).field("title", title)
                .field("body", "Ice *lost*.").field("summary", "").field("topic", "climate").field("action", "save");
        return alt == null ? form : form.field("imageAlt", alt);
    }

    private io.restassured.response.ValidatableResponse post(MultipartForm form) {
        return form.on(editor.page()).post("/admin/articles").then();
    }

    private static byte[] picture(int width, int height, String format, boolean transparent) throws IOException {
        BufferedImage image = new BufferedImage(width, height, transparent ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        Random random = new Random();
        for (int i = 0; i < 20; i++) {
            g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256), transparent ? 128 : 255));
            g.fillRect(random.nextInt(width), random.nextInt(height), 1 + random.nextInt(width), 1 + random.nextInt(height));
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), format);
        return out.toByteArray();
    }

    /** The name the upload would be stored under. */
    private static String nameOf(byte[] upload) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(upload), 0, 16);
    }

    private static BufferedImage served(String path, int status) throws IOException {
        Response r = given().get(path);
        assertEquals(status, r.statusCode(), path);
        assertEquals("image/jpeg", r.contentType());
        assertEquals("public, max-age=31536000, immutable", r.header("Cache-Control"));
        return ImageIO.read(new ByteArrayInputStream(r.asByteArray()));
    }

    private Article saved(String title) {
        return QuarkusTransaction.requiringNew().call(() -> Article.<Article>find("title", title).firstResult());
    }

    private boolean storedAnything(String name) {
        return Files.exists(media.folder().resolve(name + ".jpg")) || Files.exists(media.folder().resolve(name + "-card.jpg"))
                || Files.exists(media.folder().resolve(name + "-thumb.jpg"))
                || Files.exists(media.folder().resolve(name + "-small.jpg"));
    }

    @Test
    void anUploadedImageIsStoredWithItsVariantsAndServedForAYear() throws Exception {
        byte[] png = picture(1600, 900, "png", true);
        post(form("Glaciers retreat", "A glacier's edge").file("imageFile", "glacier.png", "image/png", png)).statusCode(303);
        Article a = saved("Glaciers retreat");
        Matcher url = MEDIA_URL.matcher(a.imageUrl);
        assertTrue(url.matches(), a.imageUrl);
        String name = url.group(1);
        assertEquals(nameOf(png), name, "named by the upload's hash");

        BufferedImage image = served("/media/" + name + ".jpg", 200);
        assertEquals(1600, image.getWidth());
        assertEquals(900, image.getHeight());
        BufferedImage card = served("/media/" + name + "-card.jpg", 200);
        assertEquals(1200, card.getWidth());
        assertEquals(630, card.getHeight());
        BufferedImage thumb = served("/media/" + name + "-thumb.jpg", 200);
        assertEquals(400, thumb.getWidth());
        assertEquals(225, thumb.getHeight());
        BufferedImage small = served("/media/" + name + "-small.jpg", 200);
        assertEquals(160, small.getWidth());
        assertEquals(90, small.getHeight());

        String etag = given().get("/media/" + name + ".jpg").header("ETag");
        assertEquals("\"" + name + "\"", etag);
        given().header("If-None-Match", etag).get("/media/" + name + ".jpg").then().statusCode(304)
                .header("Cache-Control", "public, max-age=31536000, immutable");

        // the editor shows the thumbnail, the list the small one
        editor.page().get("/admin/articles/" + a.id).then().statusCode(200)
                .body(containsString("src=\"http://localhost:8080/media/" + name + "-thumb.jpg\""));
        editor.page().get("/admin/articles").then().statusCode(200)
                .body(containsString("src=\"http://localhost:8080/media/" + name + "-small.jpg\""));

        // published: the page shows the image, link cards get the 1200×630 variant, lists the thumbnail
        fixtures.articles().publishNow(a.id);
        given().get("/articles/" + a.slug).then().statusCode(200)
                .body(containsString("<img src=\"http://localhost:8080/media/" + name + ".jpg\" alt=\"A glacier&#39;s edge\""))
                .body(containsString("<meta property=\"og:image\" content=\"http://localhost:8080/media/" + name + "-card.jpg\">"))
                .body(containsString("<meta name=\"twitter:image\" content=\"http://localhost:8080/media/" + name + "-card.jpg\">"));
        given().get("/").then().statusCode(200).body(containsString("src=\"http://localhost:8080/media/" + name + "-thumb.jpg\""));
    }

    @Test
    void aLargeImageIsKeptAtMost2400PixelsWideAndWebPIsAccepted() throws Exception {
        byte[] jpeg = picture(3000, 1000, "jpg", false);
        post(form("Wide view", "A valley").file("imageFile", "valley.jpg", "image/jpeg", jpeg)).statusCode(303);
        String name = nameOf(jpeg);
        BufferedImage image = served("/media/" + name + ".jpg", 200);
        assertEquals(2400, image.getWidth());
        assertEquals(800, image.getHeight());

        byte[] webp = Base64.getDecoder().decode(WEBP);
        post(form("Tiny", "One pixel").file("imageFile", "dot.webp", "image/webp", webp))
                .statusCode(303);
        assertEquals(1200, served("/media/" + nameOf(webp) + "-card.jpg", 200).getWidth(), "a small image is enlarged for cards");
    }

    @Test
    void whatIsNotAnAcceptableImageIsRefusedNextToTheFieldAndNothingIsStored() throws Exception {
        byte[] text = "just some text, named like a picture".getBytes();
        post(form("Not an image", "Alt").file("imageFile", "photo.jpg", "image/jpeg", text))
                .statusCode(400)
                .body(containsString("<p class=\"field-error\" id=\"imageFile-error\">must be a JPEG, PNG or WebP image"))
                .body(containsString("value=\"Not an image\""));
        assertFalse(storedAnything(nameOf(text)));

        byte[] cut = java.util.Arrays.copyOf(picture(800, 600, "png", false), 200);
        post(form("Cut short", "Alt").file("imageFile", "cut.png", "image/png", cut))
                .statusCode(400).body(containsString("could not be read as a PNG image"));
        assertFalse(storedAnything(nameOf(cut)));

        byte[] bomb = pngHeader(10_000, 5_000);
        post(form("Pixel bomb", "Alt").file("imageFile", "bomb.png", "image/png", bomb))
                .statusCode(400).body(containsString("is 10000×5000 pixels: the largest image accepted has 40 million pixels"));
        assertFalse(storedAnything(nameOf(bomb)));

        byte[] big = new byte[11 * 1024 * 1024];
        new Random().nextBytes(big);
        big[0] = (byte) 0xff;
        big[1] = (byte) 0xd8;
        big[2] = (byte) 0xff;
        post(form("Too big", "Alt").file("imageFile", "big.jpg", "image/jpeg", big))
                .statusCode(400).body(containsString("is 11.0 MB: the largest image accepted is 10.0 MB"));
        assertFalse(storedAnything(nameOf(big)));
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> Article.count()), "no article was saved");

        // far beyond the cap: refused before the body is read
        byte[] huge = new byte[13 * 1024 * 1024];
        post(form("Huge", "Alt").file("imageFile", "huge.jpg", "image/jpeg", huge))
                .statusCode(413);
    }

    @Test
    void anImageWithoutAltTextOrWithARefusedFormIsNotKept() throws Exception {
        byte[] png = picture(1200, 800, "png", false);
        post(form("No alt", null).file("imageFile", "a.png", "image/png", png)).statusCode(400)
                .body(containsString("<p class=\"field-error\" id=\"imageAlt-error\">must describe the image for readers who cannot see it</p>"))
                .body(containsString("id=\"imageFile-error\">choose the file again"));
        assertFalse(storedAnything(nameOf(png)));

        // the image is fine, the title is missing: the article is refused, and the image with it
        post(form("", "A glacier").file("imageFile", "a.png", "image/png", png))
                .statusCode(400).body(containsString("id=\"title-error\""))
                .body(containsString("id=\"imageFile-error\">choose the file again once the problems above are put right"));
        assertFalse(storedAnything(nameOf(png)));
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> Article.count()));
    }

    @Test
    void onlyStoredImagesAreServed() {
        given().get("/media/" + "0".repeat(32) + ".jpg").then().statusCode(404).body(not(containsString("Exception")));
        given().urlEncodingEnabled(false).get("/media/..%2Fsecrets.properties").then().statusCode(404);
        given().urlEncodingEnabled(false).get("/media/%2e%2e%2f%2e%2e%2fpom.xml").then().statusCode(404);
        given().get("/media/anything.png").then().statusCode(404);
    }

    @Test
    void theFormWithoutAFileKeepsTheImageAddressAsTyped() {
        editor.form().formParam("title", "By address").formParam("body", "Text.").formParam("action", "save")
                .formParam("imageUrl", "https://images.example.org/ice.jpg").formParam("imageAlt", "Ice")
                .post("/admin/articles").then().statusCode(303);
        assertEquals("https://images.example.org/ice.jpg", saved("By address").imageUrl);
        // the multipart form with no file chosen (the browser sends an empty part) does the same
        post(new MultipartForm().field("csrf-token", editor.csrf()).field("title", "By address too").field("body", "Text.")
                .field("action", "save").field("imageUrl", "https://images.example.org/sea.jpg").field("imageAlt", "Sea")
                .file("imageFile", "", "application/octet-stream", new byte[0])).statusCode(303);
        assertEquals("https://images.example.org/sea.jpg", saved("By address too").imageUrl);
    }

    /** A PNG whose header declares {@code width}×{@code height} pixels, with almost no picture data after it. */
    private static byte[] pngHeader(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0)
                .put((byte) 0).put((byte) 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] { (byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a });
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", new byte[] { 0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01 });
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] typeBytes = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
