package dev.gazette.social;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalTime;

import org.junit.jupiter.api.Test;

class PostingRulesTest {

    private static Channel hours(String from, String until, String zone) {
        Channel c = new Channel();
        c.postFrom = LocalTime.parse(from);
        c.postUntil = LocalTime.parse(until);
        c.timeZone = zone;
        return c;
    }

    @Test
    void postingHoursInTheChannelsZone() {
        Channel day = hours("08:00", "22:00", "America/New_York");
        Instant inside = Instant.parse("2026-07-01T14:00:00Z"); // 10:00 in New York (EDT)
        assertEquals(inside, SocialPublisher.nextPostingTime(day, inside));
        Instant night = Instant.parse("2026-07-01T03:00:00Z"); // 23:00 the day before
        assertEquals(Instant.parse("2026-07-01T12:00:00Z"), SocialPublisher.nextPostingTime(day, night));
        Instant early = Instant.parse("2026-07-01T10:00:00Z"); // 06:00
        assertEquals(Instant.parse("2026-07-01T12:00:00Z"), SocialPublisher.nextPostingTime(day, early));
    }

    @Test
    void windowsAcrossMidnightAndDaylightSaving() {
        Channel night = hours("22:00", "02:00", "Europe/Paris");
        assertEquals(Instant.parse("2026-03-28T23:30:00Z"),
                SocialPublisher.nextPostingTime(night, Instant.parse("2026-03-28T23:30:00Z")));
        // 12:00 on the day summer time starts: the next 22:00 is at UTC+2
        assertEquals(Instant.parse("2026-03-29T20:00:00Z"),
                SocialPublisher.nextPostingTime(night, Instant.parse("2026-03-29T10:00:00Z")));
    }

    @Test
    void hashtagsJoinWordsOfAnyScript() {
        assertEquals("#ClimateChange", PostComposer.hashtag("Climate change"));
        assertEquals("#ScienceTech", PostComposer.hashtag("Science & tech"));
        assertEquals("#東京", PostComposer.hashtag("東京"));
        assertEquals("#Économie2026", PostComposer.hashtag("économie 2026"));
    }
}
