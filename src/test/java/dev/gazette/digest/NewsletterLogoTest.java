package dev.gazette.digest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;

import javax.imageio.ImageIO;

import jakarta.mail.Multipart;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gazette.subscriber.Frequency;
import dev.gazette.testing.EditorSession;
import dev.gazette.testing.Fixtures;
import dev.gazette.testing.MultipartForm;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A newsletter's logo: uploaded in the editor or through the API, checked like lead images, fitted uncropped into
 * 480×160, and shown at the top of every digest with the newsletter's name as alt text.
 */
@QuarkusTest
class NewsletterLogoTest extends DigestTestBase {

    private String token;
    private Newsletter newsletter;

    @BeforeEach
    void newsletterWithNews() {
        token = fixtures.editorToken();
        worldNews();
        newsletter = daily("world");
    }

    private static byte[] logo(int width, int height) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(139, 21, 56, 255));
        g.fillRoundRect(0, 0, width, height, 40, 40);
        g.setColor(new Color((int) (System.nanoTime() & 0xffffff)));
        g.fillOval(10, 10, width / 3, height / 2);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    @Test
    void aLogoSetThroughTheApiLeadsEveryDigest() throws Exception {
        String url = given().auth().oauth2(token).contentType("image/png").body(logo(1200, 300))
                .put("/api/v1/newsletters/" + newsletter.id + "/logo").then().statusCode(200)
                .body("logoUrl", endsWith("-logo.jpg")).extract().path("logoUrl");
        BufferedImage stored = ImageIO.read(new ByteArrayInputStream(given().get(url.replace("http://localhost:8080", ""))
                .then().statusCode(200).extract().asByteArray()));
        assertEquals(480, stored.getWidth(), "fitted, not cropped");
        assertEquals(120, stored.getHeight());

        fixtures.reader("reader@example.org", "UTC", Frequency.DAILY, "world");
        long readers = given().auth().oauth2(token).get("/api/v1/newsletters/" + newsletter.id + "/audience")
                .then().extract().jsonPath().getLong("recipients");
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("expectedRecipients", readers))
                .post("/api/v1/newsletters/" + newsletter.id + "/issues").then().statusCode(201);
        sender.sendDue();
        String html = ((Multipart) messageTo("reader@example.org").getContent()).getBodyPart(1).getContent().toString();
        assertTrue(html.contains("<img src=\"" + url + "\" alt=\"World this morning\" height=\"60\""), html);

        given().auth().oauth2(token).delete("/api/v1/newsletters/" + newsletter.id + "/logo").then().statusCode(204);
        assertNull(QuarkusTransaction.requiringNew().call(() -> Newsletter.<Newsletter>findById(newsletter.id).logoUrl));
    }

    @Test
    void aFileThatIsNotAnImageIsRefusedNamingTheLogo() {
        given().auth().oauth2(token).contentType("image/png").body("not a picture".getBytes())
                .put("/api/v1/newsletters/" + newsletter.id + "/logo").then().statusCode(400)
                .contentType("application/problem+json").body("violations[0].field", equalTo("logo"))
                .body("violations[0].message", containsString("must be a JPEG, PNG or WebP image"));
        EditorSession editor = EditorSession.signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD, "/admin/newsletters/" + newsletter.id + "/logo");
        new MultipartForm().field("csrf-token", editor.csrf()).file("logo", "logo.png", "image/png", "nope".getBytes())
                .on(editor.page()).post("/admin/newsletters/" + newsletter.id + "/logo").then().statusCode(400)
                .body(containsString("<p class=\"field-error\" id=\"logo-error\">must be a JPEG, PNG or WebP image"));
    }

    @Test
    void anEditorUploadsALogoInTheEditor() throws Exception {
        EditorSession editor = EditorSession.signIn(Fixtures.EDITOR, Fixtures.EDITOR_PASSWORD, "/admin/newsletters/" + newsletter.id + "/logo");
        new MultipartForm().field("csrf-token", editor.csrf()).file("logo", "logo.png", "image/png", logo(600, 600))
                .on(editor.page()).post("/admin/newsletters/" + newsletter.id + "/logo").then().statusCode(303);
        String url = QuarkusTransaction.requiringNew().call(() -> Newsletter.<Newsletter>findById(newsletter.id).logoUrl);
        editor.page().get("/admin/newsletters/" + newsletter.id).then().statusCode(200)
                .body(containsString("<img class=\"newsletter-logo\" src=\"" + url + "\""));
        editor.page().get("/admin/newsletters/" + newsletter.id + "/preview").then().statusCode(200);
        given().get(url.replace("http://localhost:8080", "")).then().statusCode(200).contentType("image/jpeg");
    }
}
