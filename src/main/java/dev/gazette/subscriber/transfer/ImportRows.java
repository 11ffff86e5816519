package dev.gazette.subscriber.transfer;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import dev.gazette.common.EmailAddresses;
import dev.gazette.common.SignedTokens;
import dev.gazette.common.Text;
import dev.gazette.subscriber.TimeZones;

/**
 * Reading an import file: which columns hold what (by their header names, in any case and order), and each row
 * checked into the values the staging table takes or a problem for the per-row report.
 */
final class ImportRows {

    static final List<String> EMAIL_HEADERS = List.of("email", "e-mail", "email address", "mail");

    /** A header row naming the columns; empty lines skipped, values trimmed. */
    static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true)
            .setTrim(true).setIgnoreHeaderCase(true).setAllowMissingColumnNames(true).get();

    private ImportRows() {
    }

    /** What checking a row gave. */
    sealed interface Checked permits Staged, Problem {
    }

    /** A valid row, as the staging table takes it (text, since COPY reads text). */
    record Staged(int row, String email, String key, String name, String topics, String status, String consentAt,
            String source, String hash, String frequency, String timezone) implements Checked {

        /** The staging table's columns, in their order (ImportStatements.COPY_STAGE). */
        Object[] values() {
            return new Object[] { String.valueOf(row), email, key, name, topics, status, consentAt, source, hash, frequency,
                timezone };
        }
    }

    /** A row that is not imported, and why, in the editor's words. */
    record Problem(int row, String email, String reason) implements Checked {
    }

    /** The columns of a file, found by their header names; only the email column is required. */
    record Columns(String email, String name, String topics, String status, String subscribed, String source,
            String frequency, String timezone) {

        static Columns of(Map<String, Integer> header) throws ImportException {
            String email = header.keySet().stream().filter(h -> EMAIL_HEADERS.contains(h.toLowerCase(Locale.ROOT).trim()))
                    .findFirst().orElseThrow(() -> new ImportException("The first row must name the columns, one of them"
                            + " \"email\"; found: " + printable(String.join(", ", header.keySet()))));
            return new Columns(email, column(header, "name", "full name"), column(header, "topics", "topic"),
                    column(header, "status"), column(header, "subscribed at", "subscribed_at", "subscribedat", "created"),
                    column(header, "source"), column(header, "frequency"),
                    column(header, "time_zone", "timezone", "time zone", "tz"));
        }
    }

    /** The earliest subscription date a row may give: anything before is a typing or export error. */
    static final LocalDate EARLIEST = LocalDate.of(1990, 1, 1);

    /**
     * Checks one row of the file ({@code row} counts the header as row 1); a subscription date must fall between
     * {@link #EARLIEST} and {@code latest}.
     */
    static Checked check(CSVRecord record, int row, Columns columns, SignedTokens.Hasher hasher, LocalDate latest) {
        String rawEmail = get(record, columns.email());
        String unreadable = unreadable(record);
        if (unreadable != null) {
            return new Problem(row, Text.cut(printable(rawEmail), 320), unreadable);
        }
        Optional<String> email = EmailAddresses.normalise(rawEmail);
        if (email.isEmpty()) {
            return new Problem(row, Text.cut(rawEmail, 320), rawEmail == null || rawEmail.isBlank()
                    ? "no email address" : "not a valid email address");
        }
        String status = parseStatus(get(record, columns.status()));
        if (status == null) {
            return new Problem(row, email.get(), "status must be active or unsubscribed");
        }
        Instant consentAt;
        try {
            consentAt = parseDate(get(record, columns.subscribed()));
        } catch (DateTimeException | ArithmeticException e) {
            return new Problem(row, email.get(), "subscribed at is not a date (use 2026-03-02 or 2026-03-02T09:00:00Z)");
        }
        if (consentAt != null && (consentAt.isBefore(EARLIEST.atStartOfDay().toInstant(ZoneOffset.UTC))
                || !consentAt.isBefore(latest.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC)))) {
            return new Problem(row, email.get(), "subscribed at must be between " + EARLIEST + " and " + latest);
        }
        String frequency = get(record, columns.frequency());
        if (frequency != null) {
            frequency = switch (frequency.trim().toLowerCase(Locale.ROOT)) {
                case "daily", "day" -> "DAILY";
                case "weekly", "week" -> "WEEKLY";
                default -> null;
            };
            if (frequency == null) {
                return new Problem(row, email.get(), "frequency must be daily or weekly");
            }
        }
        String timezone = get(record, columns.timezone());
        if (timezone != null && !TimeZones.isKnown(timezone.trim())) {
            return new Problem(row, email.get(), "time zone " + Text.cut(printable(timezone.trim()), 64)
                    + " is not known (use a name such as Europe/Paris)");
        }
        String key = EmailAddresses.key(email.get());
        String topics = get(record, columns.topics());
        return new Staged(row, email.get(), key, EmailAddresses.cleanName(get(record, columns.name())),
                topics == null || topics.isBlank() ? null : topics.toLowerCase(Locale.ROOT).replace('|', ';').replace(',', ';'),
                status, consentAt == null ? null : consentAt.toString(), Text.cut(EmailAddresses.cleanName(get(record, columns.source())), 200),
                hasher.hash(key), frequency, timezone == null ? null : timezone.trim());
    }

    /**
     * Why a row cannot be read at all, or null: bytes that are not UTF-8 (the reader turned them into U+FFFD) or control
     * characters other than tab and line breaks (a NUL cannot even be stored).
     */
    static String unreadable(CSVRecord record) {
        for (String value : record.values()) {
            if (value.indexOf('\uFFFD') >= 0) {
                return "the row is not valid UTF-8 text (save the file as UTF-8)";
            }
            if (CONTROL.matcher(value).find()) {
                return "the row contains control characters (such as NUL)";
            }
        }
        return null;
    }

    /** Text fit for a report or a message: control characters as U+FFFD. */
    static String printable(String value) {
        return value == null ? null : CONTROL.matcher(value).replaceAll("\uFFFD");
    }

    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]");

    /** ACTIVE (the default), UNSUBSCRIBED, or null when not understood. */
    static String parseStatus(String value) {
        if (value == null) {
            return "ACTIVE";
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "active", "subscribed", "confirmed", "enabled" -> "ACTIVE";
            case "unsubscribed", "inactive", "opted out", "opted-out", "blocklisted" -> "UNSUBSCRIBED";
            default -> null;
        };
    }

    /** ISO date or date-time (UTC when no offset); null when empty. */
    static Instant parseDate(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (v.length() == 10) {
            return LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            return LocalDateTime.parse(v.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        }
    }

    private static String column(Map<String, Integer> header, String... names) {
        for (String h : header.keySet()) {
            String normal = h.toLowerCase(Locale.ROOT).trim().replace('-', ' ');
            for (String name : names) {
                if (normal.equals(name)) {
                    return h;
                }
            }
        }
        return null;
    }

    private static String get(CSVRecord record, String column) {
        if (column == null || !record.isMapped(column) || !record.isSet(column)) {
            return null;
        }
        String value = record.get(column);
        return value == null || value.isBlank() ? null : value;
    }
}
