package dev.gazette.subscriber;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gazette.common.events.EventLog;

/**
 * The {@code subscriber.*} events, in the transaction of the change: one place that says what a reader looks like to
 * a webhook receiver.
 */
@ApplicationScoped
public class ReaderEvents {

    private final EventLog events;

    ReaderEvents(EventLog events) {
        this.events = events;
    }

    /** A new reader: from the form, or added by an editor ({@code source} says which). */
    public void created(Subscriber s, String source) {
        events.record(EventLog.SUBSCRIBER_CREATED, with(s, "source", source));
    }

    public void confirmed(Subscriber s) {
        events.record(EventLog.SUBSCRIBER_CONFIRMED, with(s, null, null));
    }

    /** Preferences changed, by the reader ({@code by} "reader") or an editor ("editor"). */
    public void updated(Subscriber s, String by) {
        events.record(EventLog.SUBSCRIBER_UPDATED, with(s, "by", by));
    }

    public void unsubscribed(Subscriber s, String how) {
        events.record(EventLog.SUBSCRIBER_UNSUBSCRIBED, with(s, "how", how));
    }

    /** Suppressed for a reason other than the reader's own unsubscribe: bounce, complaint, inactive or manual. */
    public void suppressed(Subscriber s, SuppressionReason reason) {
        String why = switch (reason) {
            case HARD_BOUNCE -> "bounce";
            case COMPLAINT -> "complaint";
            case BLOCKED -> "manual";
            case INACTIVE -> "inactive";
            case UNSUBSCRIBED, ERASED -> throw new IllegalArgumentException(reason + " is an unsubscribe, not a suppression");
        };
        events.record(EventLog.SUBSCRIBER_SUPPRESSED, with(s, "reason", why));
    }

    private static Map<String, Object> with(Subscriber s, String key, String value) {
        Map<String, Object> reader = new LinkedHashMap<>();
        reader.put("id", s.id);
        reader.put("email", s.email);
        reader.put("name", s.name);
        reader.put("status", s.status.name().toLowerCase(Locale.ROOT));
        reader.put("allTopics", s.allTopics);
        reader.put("topics", s.allTopics ? List.of() : s.topics.stream().map(t -> t.slug).sorted().toList());
        reader.put("frequency", s.frequency == null ? null : s.frequency.name().toLowerCase(Locale.ROOT));
        reader.put("timezone", s.timezone);
        reader.put("confirmedAt", s.confirmedAt == null ? null : s.confirmedAt.toString());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("subscriber", reader);
        if (key != null) {
            data.put(key, value);
        }
        return data;
    }
}
