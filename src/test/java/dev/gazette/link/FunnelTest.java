package dev.gazette.link;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.regex.Matcher;

import jakarta.mail.Multipart;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import dev.gazette.subscriber.SubscribeFlowTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The loop Gazette exists for: a social post's link is clicked, the reader lands on the article, subscribes there,
 * confirms, and the link's report counts the click, the subscription and the confirmation.
 */
@QuarkusTest
class FunnelTest extends LinkTestBase {

    @Test
    void shouldAttributeASubscriberToTheLinkTheyCameThrough() throws Exception {
        fixtures.topic("Climate", "climate");
        fixtures.published("Heatwave explained", "Records.", "climate");
        TrackedLink link = links.create("http://localhost:8080/articles/heatwave-explained", LinkContextType.DISTRIBUTION,
                42L, Utm.social("mastodon", "heatwave-explained"));

        given().header("User-Agent", "http.rb/5.1.1 (Mastodon/4.2.8; +https://social.example/)").redirects().follow(false)
                .when().get("/r/" + link.code).then().statusCode(302);
        Response click = given().header("User-Agent", CHROME).redirects().follow(false).when().get("/r/" + link.code);
        assertEquals(302, click.statusCode());
        URI landing = URI.create(click.header("Location"));
        assertTrue(landing.getQuery().contains("ref=" + link.code), landing.toString());
        assertTrue(landing.getQuery().contains("utm_source=mastodon"), landing.toString());

        Document article = Jsoup.parse(given().urlEncodingEnabled(false).when().get(landing.getRawPath() + "?" + landing.getRawQuery())
                .then().statusCode(200).extract().asString());
        Element form = article.selectFirst("form[action$=/subscribe]");
        var subscribe = given().contentType(ContentType.URLENC).formParam("email", "funnel@example.org");
        for (Element input : form.select("input[type=hidden]")) {
            subscribe = subscribe.formParam(input.attr("name"), input.attr("value"));
        }
        double subscribesBefore = metric("gazette_subscribes_total{source=\"tracked_link\"}");
        double confirmationsBefore = metric("gazette_confirmations_total{source=\"tracked_link\"}");
        subscribe.formParam("topics", "climate").when().post("/subscribe").then().statusCode(200);
        assertEquals(subscribesBefore + 1, metric("gazette_subscribes_total{source=\"tracked_link\"}"));

        assertEquals(link.code, SubscribeFlowTest.subscriber("funnel@example.org").sourceRef);
        assertTrue(greenMail.waitForIncomingEmail(5000, 1));
        String text = ((Multipart) greenMail.getReceivedMessages()[0].getContent()).getBodyPart(0).getContent().toString();
        Matcher confirm = SubscribeFlowTest.CONFIRM_LINK.matcher(text);
        assertTrue(confirm.find());

        recorder.flush();
        String token = fixtures.editorToken();
        given().auth().oauth2(token).when().get("/api/v1/stats/links").then().statusCode(200)
                .body("items[0].previews", equalTo(1)).body("items[0].clicks", equalTo(1))
                .body("items[0].subscribes", equalTo(1)).body("items[0].confirmations", equalTo(0));

        given().when().post(confirm.group(1)).then().statusCode(200);
        assertEquals(confirmationsBefore + 1, metric("gazette_confirmations_total{source=\"tracked_link\"}"));
        given().auth().oauth2(token).when().get("/api/v1/stats/links").then()
                .body("items[0].subscribes", equalTo(1)).body("items[0].confirmations", equalTo(1));
        given().auth().oauth2(token).queryParam("source", link.code).when().get("/api/v1/subscribers").then()
                .body("items[0].email", equalTo("funnel@example.org"));
    }

    /** A Prometheus sample's value, 0 when the series does not exist yet. */
    static double metric(String series) {
        for (String line : given().when().get("/q/metrics").then().statusCode(200).extract().asString().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }
}
