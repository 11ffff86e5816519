package dev.gazette.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The DKIM settings as read at start-up: every key form, and a message naming the setting for each mistake. */
class DkimSettingsTest {

    private static final Path KEYS = Path.of("src/test/resources/dkim");

    private static Config config(String... pairs) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1]);
        }
        return new SmallRyeConfigBuilder().withDefaultValues(values).build();
    }

    private static String problem(Config config) {
        return assertThrows(ConfigurationException.class, () -> DkimSettings.signer(config, true, null)).getMessage();
    }

    @Test
    void shouldReadEveryRsaFormFromAFileOrTheSettingItself() throws Exception {
        for (String file : new String[] { "rsa-pkcs8.pem", "rsa-pkcs1.pem", "rsa-bare.txt" }) {
            DkimSigner fromPath = DkimSettings.signer(config("gazette.mail.dkim.private-key-path", KEYS.resolve(file).toString(),
                    "gazette.mail.dkim.domain", "News.Example.org"), true, null);
            assertEquals("rsa-sha256 d=news.example.org s=gazette", fromPath.describe());
            DkimSigner inline = DkimSettings.signer(config("gazette.mail.dkim.private-key", Files.readString(KEYS.resolve(file)),
                    "gazette.mail.dkim.domain", "news.example.org", "gazette.mail.dkim.selector", "gz2026"), true, null);
            assertEquals("rsa-sha256 d=news.example.org s=gz2026", inline.describe());
        }
    }

    @Test
    void shouldBeOffUnlessAKeyIsSet() {
        assertNull(DkimSettings.signer(config("gazette.mail.dkim.domain", "news.example.org"), true, null));
        assertNull(DkimSettings.signer(config("quarkus.mailer.dkim.enabled", "false"), true, null));
    }

    @Test
    void shouldNameTheSettingOfABrokenKey(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("dkim.pem");
        String pem = Files.readString(KEYS.resolve("rsa-pkcs8.pem"));
        Files.writeString(broken, pem.substring(0, pem.length() / 2) + "\n-----END PRIVATE KEY-----\n");
        String message = problem(config("gazette.mail.dkim.private-key-path", broken.toString(), "gazette.mail.dkim.domain",
                "news.example.org"));
        assertTrue(message.startsWith("gazette.mail.dkim.private-key-path cannot be read as a DKIM key"), message);
        assertTrue(message.contains("BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY"), message);

        message = problem(config("gazette.mail.dkim.private-key", "MIIBroken", "gazette.mail.dkim.domain", "news.example.org"));
        assertTrue(message.startsWith("gazette.mail.dkim.private-key cannot be read as a DKIM key"), message);

        message = problem(config("gazette.mail.dkim.private-key-path", dir.resolve("missing.pem").toString(),
                "gazette.mail.dkim.domain", "news.example.org"));
        assertTrue(message.startsWith("gazette.mail.dkim.private-key-path names ") && message.contains("missing.pem"), message);
    }

    @Test
    void shouldNameAMissingOrWrongDomainOrSelector() {
        String key = KEYS.resolve("rsa-pkcs8.pem").toString();
        assertTrue(problem(config("gazette.mail.dkim.private-key-path", key)).startsWith("gazette.mail.dkim.domain is not set"));
        assertTrue(problem(config("gazette.mail.dkim.private-key-path", key, "gazette.mail.dkim.domain", "news example"))
                .startsWith("gazette.mail.dkim.domain is not a domain name"));
        assertTrue(problem(config("gazette.mail.dkim.private-key-path", key, "gazette.mail.dkim.domain", "news.example.org",
                "gazette.mail.dkim.selector", "gz;x")).startsWith("gazette.mail.dkim.selector is not a DNS label"));
        assertTrue(problem(config("gazette.mail.dkim.private-key-path", key, "gazette.mail.dkim.private-key", "x",
                "gazette.mail.dkim.domain", "news.example.org")).contains("both set"));
    }

    @Test
    void shouldRefuseAnEd25519KeyUntilItCanBeVerifiedIndependently() {
        String message = problem(config("gazette.mail.dkim.private-key-path", KEYS.resolve("ed25519.pem").toString(),
                "gazette.mail.dkim.domain", "news.example.org"));
        assertTrue(message.startsWith("gazette.mail.dkim.private-key-path: DKIM signing takes an RSA key"), message);
    }

    @Test
    void shouldStillReadTheQuarkusMailerSettingsOfEarlierVersions() {
        DkimSigner legacy = DkimSettings.signer(config("quarkus.mailer.dkim.enabled", "true", "quarkus.mailer.dkim.private-key-path",
                KEYS.resolve("rsa-pkcs1.pem").toString(), "quarkus.mailer.dkim.sdid", "news.example.org",
                "quarkus.mailer.dkim.selector", "old"), true, null);
        assertEquals("rsa-sha256 d=news.example.org s=old", legacy.describe());
        assertTrue(problem(config("quarkus.mailer.dkim.enabled", "true", "quarkus.mailer.dkim.sdid", "news.example.org"))
                .contains("neither quarkus.mailer.dkim.private-key nor quarkus.mailer.dkim.private-key-path"));
        // Quarkus Mailer signs with its own settings when it sends
        assertNull(DkimSettings.signer(config("quarkus.mailer.dkim.enabled", "true"), false, "XOAUTH2 login"));
    }

    @Test
    void shouldRefuseGazetteKeysWhenQuarkusMailerSends() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> DkimSettings.signer(config(
                "gazette.mail.dkim.private-key-path", KEYS.resolve("rsa-pkcs8.pem").toString(), "gazette.mail.dkim.domain",
                "news.example.org"), false, "XOAUTH2 login is done by the mailer"));
        assertTrue(e.getMessage().contains("XOAUTH2 login is done by the mailer"), e.getMessage());
    }
}
