package dev.gazette.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * A signed-in editor UI session through the real sign-in form: its session cookie and the CSRF token its forms carry,
 * read from a page as a browser would.
 */
public final class EditorSession {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    private final String cookie;
    private final String csrf;

    private EditorSession(String cookie, String csrf) {
        this.cookie = cookie;
        this.csrf = csrf;
    }

    /** Signs in with the form and reads the CSRF token from {@code page}, a page with a form on it. */
    public static EditorSession signIn(String user, String password, String page) {
        Response login = given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("j_username", user).formParam("j_password", password)
                .post("/admin/j_security_check");
        String cookie = login.getCookie("gazette-session");
        assertNotNull(cookie, "signed in");
        Matcher token = CSRF.matcher(given().redirects().follow(false).cookie("gazette-session", cookie).get(page)
                .then().statusCode(200).extract().asString());
        assertTrue(token.find(), "a CSRF token on " + page);
        return new EditorSession(cookie, token.group(1));
    }

    /** A request in the session, redirects not followed. */
    public RequestSpecification page() {
        return given().redirects().follow(false).cookie("gazette-session", cookie);
    }

    /** A form post in the session, with its CSRF token. */
    public RequestSpecification form() {
        return page().contentType(ContentType.URLENC).formParam("csrf-token", csrf);
    }

    public String cookie() {
        return cookie;
    }

    public String csrf() {
        return csrf;
    }
}
