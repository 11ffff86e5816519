package dev.gazette.common;

/**
 * Spreadsheet-safe CSV cells: a value that a spreadsheet would run as a formula is prefixed with a quote.
 */
public final class CsvCells {

    private CsvCells() {
    }

    public static String safe(String value) {
        if (value == null || value.isEmpty()) {
            return value == null ? "" : value;
        }
        char first = value.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r' || first == '|'
                ? "'" + value
                : value;
    }
}
