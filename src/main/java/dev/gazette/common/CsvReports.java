package dev.gazette.common;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;


/**
 * CSV exports of reports, safe to open in a spreadsheet: a cell that would start with a formula character gets a
 * leading single quote, so a label or URL chosen by someone else cannot run as a formula (CSV injection).
 */
public final class CsvReports {

    public static final String MEDIA_TYPE = "text/csv";

    /** A column: its header and how to read its cell from a row. */
    public record Column<T>(String header, Function<T, Object> value) {
    }

    private CsvReports() {
    }

    /** Whether the client asked for CSV, with {@code ?format=csv} or an {@code Accept: text/csv} header. */
    public static boolean wanted(String format, HttpHeaders headers) {
        return wanted(format, headers.getHeaderString(HttpHeaders.ACCEPT));
    }

    /** The same, from the {@code Accept} header's value (null when absent). */
    public static boolean wanted(String format, String accept) {
        if (format != null) {
            return format.equalsIgnoreCase("csv");
        }
        if (accept == null) {
            return false;
        }
        for (String range : accept.split(",")) {
            try {
                MediaType type = MediaType.valueOf(range.trim());
                if (!type.isWildcardType() && type.isCompatible(MediaType.valueOf(MEDIA_TYPE))) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                // a malformed media range asks for nothing
            }
        }
        return false;
    }

    public static <T> Response response(String fileName, List<Column<T>> columns, List<T> rows) {
        return Response.ok(write(columns, rows))
                .type(MEDIA_TYPE + ";charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"" + fileName + "\"")
                .build();
    }

    public static <T> String write(List<Column<T>> columns, List<T> rows) {
        StringWriter out = new StringWriter();
        CSVFormat format = CSVFormat.DEFAULT.builder().setRecordSeparator("\n")
                .setHeader(columns.stream().map(Column::header).toArray(String[]::new)).get();
        try (CSVPrinter printer = new CSVPrinter(out, format)) {
            for (T row : rows) {
                for (Column<T> column : columns) {
                    Object value = column.value().apply(row);
                    printer.print(CsvCells.safe(value == null ? null : value.toString()));
                }
                printer.println();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
