package dev.gazette.digest.bounce;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.gazette.common.EmailAddresses;
import dev.gazette.common.Text;
import dev.gazette.digest.DeliveryLedger;
import dev.gazette.mail.bounce.BounceReport;
import dev.gazette.subscriber.Subscriber;
import dev.gazette.subscriber.SubscriberEvent;
import dev.gazette.subscriber.SuppressionReason;
import dev.gazette.subscriber.SuppressionService;
import io.quarkus.logging.Log;

/**
 * Applies bounce and complaint reports: finds the delivery through the VERP address (or the reader through the digest's
 * Message-ID, or the address itself), then the suppression rules. A hard bounce or a complaint suppresses the address
 * at once; soft bounces are recorded, and the third within 30 days counts as a hard bounce.
 */
@ApplicationScoped
public class BounceHandler {

    static final int SOFT_BOUNCE_LIMIT = 3;
    static final Duration SOFT_BOUNCE_WINDOW = Duration.ofDays(30);
    private static final Pattern VERP = Pattern.compile("[+=-]d(\\d{1,18})@", Pattern.CASE_INSENSITIVE);
    private static final Pattern MESSAGE_ID = Pattern.compile("<issue-(\\d{1,18})\\.subscriber-(\\d{1,18})@");

    private final SuppressionService suppressions;
    private final DeliveryLedger ledger;
    private final Clock clock;

    BounceHandler(SuppressionService suppressions, DeliveryLedger ledger, Clock clock) {
        this.suppressions = suppressions;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** What a batch of reports led to. */
    public record Result(int applied, int unmatched) {
    }

    public Result apply(List<BounceReport> reports) {
        int applied = 0;
        int unmatched = 0;
        for (BounceReport report : reports) {
            boolean matched;
            try {
                matched = applyOne(report);
            } catch (SQLException e) {
                throw new IllegalStateException("Applying a " + report.kind() + " report failed", e);
            }
            if (matched) {
                applied++;
            } else {
                unmatched++;
            }
        }
        return new Result(applied, unmatched);
    }

    @Transactional(rollbackOn = SQLException.class)
    boolean applyOne(BounceReport report) throws SQLException {
        Long deliveryId = match(VERP, report.envelopeTo(), 1);
        Subscriber reader = null;
        if (deliveryId != null) {
            reader = ledger.subscriberOf(deliveryId).map(id -> Subscriber.<Subscriber>findById(id)).orElse(null);
        }
        if (reader == null) {
            Long subscriberId = match(MESSAGE_ID, report.messageId(), 2);
            reader = subscriberId == null ? null : Subscriber.findById(subscriberId);
        }
        if (reader == null && report.recipient() != null) {
            reader = EmailAddresses.normalise(report.recipient()).flatMap(e -> Subscriber.findByEmailKey(EmailAddresses.key(e))).orElse(null);
        }
        String address = reader != null ? reader.email : report.recipient();
        if (address == null) {
            Log.infof("A %s report matched no delivery or reader", report.kind());
            return false;
        }
        String detail = describe(report);
        if (deliveryId != null) {
            ledger.noteReport(deliveryId, report.kind() + ": " + detail);
        }
        Instant now = clock.instant();
        switch (report.kind()) {
            case HARD_BOUNCE -> suppressions.suppress(address, SuppressionReason.HARD_BOUNCE, Text.truncate("bounce " + detail, 500));
            case COMPLAINT -> suppressions.suppress(address, SuppressionReason.COMPLAINT, Text.truncate("complaint " + detail, 500));
            case SOFT_BOUNCE -> {
                if (reader == null) {
                    return true;
                }
                SubscriberEvent.record(reader.id, "SOFT_BOUNCE", Text.truncate(detail, 1000), now);
                long recent = SubscriberEvent.count("subscriberId = ?1 and type = ?2 and createdAt > ?3", reader.id, "SOFT_BOUNCE",
                        now.minus(SOFT_BOUNCE_WINDOW));
                if (recent >= SOFT_BOUNCE_LIMIT) {
                    suppressions.suppress(address, SuppressionReason.HARD_BOUNCE,
                            Text.truncate(recent + " temporary bounces within 30 days, the last: " + detail, 500));
                }
            }
        }
        return true;
    }

    private static String describe(BounceReport report) {
        StringBuilder text = new StringBuilder();
        Optional.ofNullable(report.status()).ifPresent(s -> text.append(s).append(' '));
        Optional.ofNullable(report.diagnostic()).ifPresent(text::append);
        return text.isEmpty() ? "(no detail)" : text.toString().strip();
    }

    private static Long match(Pattern pattern, String value, int group) {
        if (value == null) {
            return null;
        }
        Matcher m = pattern.matcher(value);
        return m.find() ? Long.valueOf(m.group(group)) : null;
    }
}
