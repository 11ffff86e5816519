package dev.gazette.testing;

import static io.restassured.RestAssured.given;

import java.net.URI;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Readers and bots following tracked links, as the redirect and the article page see them. */
public final class Visitors {

    public static final String CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/124.0.0.0 Safari/537.36";
    public static final String FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0";
    public static final String SAFARI_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
    /** Mastodon fetching a link preview: a bot, not a click. */
    public static final String MASTODON = "http.rb/5.1.1 (Mastodon/4.2.8; +https://social.example/)";

    private Visitors() {
    }

    /** Follows a tracked link as the given User-Agent would, without following the redirect. */
    public static Response visit(String code, String userAgent) {
        return given().redirects().follow(false).header("User-Agent", userAgent).when().get("/r/" + code);
    }

    /** Follows a post's link as a browser, then subscribes with the article page's own form. */
    public static void subscribeThrough(String code, String email) {
        URI landing = URI.create(visit(code, CHROME).header("Location"));
        Element form = Jsoup.parse(given().urlEncodingEnabled(false).when().get(landing.getRawPath() + "?" + landing.getRawQuery())
                .then().statusCode(200).extract().asString()).selectFirst("form[action$=/subscribe]");
        var subscribe = given().contentType(ContentType.URLENC).formParam("email", email);
        for (Element input : form.select("input[type=hidden]")) {
            subscribe = subscribe.formParam(input.attr("name"), input.attr("value"));
        }
        subscribe.when().post("/subscribe").then().statusCode(200);
    }
}
