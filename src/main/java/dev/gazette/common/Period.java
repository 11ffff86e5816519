package dev.gazette.common;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

import dev.gazette.common.error.ProblemException;

/** UTC days, both ends included; a null end is open. */
public record Period(LocalDate from, LocalDate to) {

    public static final Period ALL = new Period(null, null);

    /** A period from query parameters: UTC days as {@code 2026-03-01}, either may be absent. */
    public static Period parse(String from, String to) {
        return new Period(date("from", from), date("to", to));
    }

    private static LocalDate date(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        LocalDate date;
        try {
            date = LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(field, "must be a date like 2026-03-01");
        }
        // LocalDate takes years from -999999999 on, which a timestamptz column cannot hold
        if (date.getYear() < 1970 || date.getYear() > 9999) {
            throw ProblemException.invalid(field, "must be a date between 1970-01-01 and 9999-12-31");
        }
        return date;
    }

    public Period {
        if (from != null && to != null && from.isAfter(to)) {
            throw ProblemException.invalid("from", "must not be after to");
        }
    }
}
