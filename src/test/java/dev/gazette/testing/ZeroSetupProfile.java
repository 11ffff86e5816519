package dev.gazette.testing;

import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The defaults of a fresh installation: mail to the file outbox, sample content on.
 */
public class ZeroSetupProfile implements QuarkusTestProfile {

    public static final Path OUTBOX = Path.of("target", "test-outbox");

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("gazette.mail.transport", "outbox", "gazette.mail.outbox-dir", OUTBOX.toString(),
                "gazette.articles.demo-content", "true");
    }
}
