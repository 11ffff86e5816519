package dev.gazette.testing;

import java.util.List;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Sends to {@link RejectingSmtpResource} instead of GreenMail.
 */
public class RejectingSmtpProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(RejectingSmtpResource.class));
    }
}
