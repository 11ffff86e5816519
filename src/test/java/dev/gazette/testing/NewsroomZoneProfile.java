package dev.gazette.testing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A newsroom in Paris ({@code gazette.site.time-zone=Europe/Paris}), an hour or two from UTC depending on the season,
 * so that a time shown or entered in UTC by mistake shows.
 */
public class NewsroomZoneProfile implements QuarkusTestProfile {

    public static final String ZONE = "Europe/Paris";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("gazette.site.time-zone", ZONE);
    }
}
