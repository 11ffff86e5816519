package dev.gazette.article;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import jakarta.inject.Inject;

import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

import dev.gazette.testing.GazetteTest;
import dev.gazette.testing.ZeroSetupProfile;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(ZeroSetupProfile.class)
class DemoContentTest extends GazetteTest {

    @Inject
    DemoContent demo;

    @Test
    void shouldFillAnEmptySiteOnceAndLeaveAnUsedOneAlone() {
        demo.onStart(null);
        demo.onStart(null);
        assertEquals(4L, (long) QuarkusTransaction.requiringNew().call(() -> Article.count()));
        List<String> titles = Jsoup.parse(given().when().get("/").then().statusCode(200).extract().asString())
                .select("article.teaser h2").eachText();
        assertEquals(4, titles.size());
        given().when().get("/articles/welcome-to-gazette").then().statusCode(200);

        database.clean();
        fixtures.topic("Mine", "mine");
        demo.onStart(null);
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> Article.count()));
    }
}
