package dev.gazette.social.connector.x;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Known-answer tests against published examples.
 * <ul>
 * <li>X's "Creating a signature" guide, https://docs.x.com/fundamentals/authentication/oauth-1-0a/creating-a-signature
 * (source: github.com/xdevplatform/docs, fundamentals/authentication/oauth-1-0a/creating-a-signature.mdx): the
 * parameters, signature base string, signing key, HMAC output bytes and signature below are copied from that page.
 * (The guide's companion page "Authorizing a request" still shows an older value, tnnArxj06cWHq44gCs1OSKk/jLY=, for
 * the api.twitter.com era; the signing page's value is the one that matches its own base string and key.)</li>
 * <li>RFC 5849 section 3.4.1.1 (signature base string of the example request), 3.4.1.2 (base string URI examples).</li>
 * <li>X's "Percent encoding parameters" guide (the four example strings).</li>
 * </ul>
 */
class OAuth1SignerTest {

    // From the X guide.
    static final String CONSUMER_KEY = "xvz1evFS4wEEPTGEFPHBog";
    static final String CONSUMER_SECRET = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw";
    static final String TOKEN = "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb";
    static final String TOKEN_SECRET = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE";
    static final String NONCE = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg";
    static final long TIMESTAMP = 1318622958L;
    static final String STATUS = "Hello Ladies + Gentlemen, a signed OAuth request!";
    static final URI URL = URI.create("https://api.x.com/1.1/statuses/update.json?include_entities=true");
    static final String PUBLISHED_BASE_STRING = "POST&https%3A%2F%2Fapi.x.com%2F1.1%2Fstatuses%2Fupdate.json"
            + "&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"
            + "%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"
            + "%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521";
    static final String PUBLISHED_HMAC_HEX = "2ECF778498996D0DDA905DC7177C75073F3FCD4E";
    static final String PUBLISHED_SIGNATURE = "Ls93hJiZbQ3akF3HF3x1Bz8/zU4=";

    @Test
    void reproducesTheBaseStringOfXsGuide() {
        List<Map.Entry<String, String>> params = new ArrayList<>(List.of(
                Map.entry("status", STATUS),
                Map.entry("include_entities", "true"),
                Map.entry("oauth_consumer_key", CONSUMER_KEY),
                Map.entry("oauth_nonce", NONCE),
                Map.entry("oauth_signature_method", "HMAC-SHA1"),
                Map.entry("oauth_timestamp", "1318622958"),
                Map.entry("oauth_token", TOKEN),
                Map.entry("oauth_version", "1.0")));
        assertEquals(PUBLISHED_BASE_STRING, OAuth1Signer.baseString("POST", URL, params));
    }

    @Test
    void reproducesTheSignatureOfXsGuideByteForByte() {
        String signature = OAuth1Signer.signature(PUBLISHED_BASE_STRING, CONSUMER_SECRET, TOKEN_SECRET);
        assertEquals(PUBLISHED_SIGNATURE, signature);
        assertEquals(PUBLISHED_HMAC_HEX, HexFormat.of().withUpperCase().formatHex(Base64.getDecoder().decode(signature)));
    }

    @Test
    void signsTheGuidesRequestEndToEndIntoTheHeader() {
        OAuth1Signer signer = new OAuth1Signer(
                new OAuth1Signer.Credentials(CONSUMER_KEY, CONSUMER_SECRET, TOKEN, TOKEN_SECRET), () -> NONCE,
                () -> TIMESTAMP);
        // The query parameter comes from the URL, the status from the form body: both are signed.
        String header = signer.authorizationHeader("POST", URL, List.of(Map.entry("status", STATUS)));
        assertEquals("OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", "
                + "oauth_nonce=\"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg\", "
                + "oauth_signature=\"Ls93hJiZbQ3akF3HF3x1Bz8%2FzU4%3D\", "
                + "oauth_signature_method=\"HMAC-SHA1\", "
                + "oauth_timestamp=\"1318622958\", "
                + "oauth_token=\"370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb\", "
                + "oauth_version=\"1.0\"", header);
    }

    @Test
    void reproducesTheBaseStringOfRfc5849Section3411() {
        // POST /request?b5=%3D%253D&a3=a&c%40=&a2=r%20b with body "c2&a3=2+q"; the RFC's example has no oauth_version.
        URI uri = URI.create("http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b");
        List<Map.Entry<String, String>> params = new ArrayList<>(OAuth1Signer.queryParameters(uri));
        params.add(Map.entry("c2", ""));
        params.add(Map.entry("a3", "2 q"));
        params.add(Map.entry("oauth_consumer_key", "9djdj82h48djs9d2"));
        params.add(Map.entry("oauth_token", "kkk9d7dh3k39sjv7"));
        params.add(Map.entry("oauth_signature_method", "HMAC-SHA1"));
        params.add(Map.entry("oauth_timestamp", "137131201"));
        params.add(Map.entry("oauth_nonce", "7d8f3e4a"));
        assertEquals("POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D"
                + "%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a"
                + "%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7",
                OAuth1Signer.baseString("post", uri, params));
    }

    @Test
    void buildsTheBaseStringUriAsRfc5849Section3412Shows() {
        assertEquals("http://example.com/r%20v/X", OAuth1Signer.baseStringUri(URI.create("http://EXAMPLE.COM:80/r%20v/X?id=123")));
        assertEquals("https://www.example.net:8080/", OAuth1Signer.baseStringUri(URI.create("https://www.example.net:8080/?q=1")));
        assertEquals("https://api.x.com/2/tweets", OAuth1Signer.baseStringUri(URI.create("https://api.x.com:443/2/tweets")));
    }

    @Test
    void percentEncodesLikeXsGuide() {
        assertEquals("Ladies%20%2B%20Gentlemen", OAuth1Signer.percentEncode("Ladies + Gentlemen"));
        assertEquals("An%20encoded%20string%21", OAuth1Signer.percentEncode("An encoded string!"));
        assertEquals("Dogs%2C%20Cats%20%26%20Mice", OAuth1Signer.percentEncode("Dogs, Cats & Mice"));
        assertEquals("%E2%98%83", OAuth1Signer.percentEncode("☃"));
        assertEquals("-._~AZaz09", OAuth1Signer.percentEncode("-._~AZaz09"));
    }

    @Test
    void randomNoncesAreUnreservedAndDiffer() {
        String a = OAuth1Signer.randomNonce();
        String b = OAuth1Signer.randomNonce();
        assertEquals(43, a.length());
        assertEquals(a, OAuth1Signer.percentEncode(a));
        org.junit.jupiter.api.Assertions.assertNotEquals(a, b);
    }
}
