package dev.gazette.link.api;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/**
 * CSV exports of reports, safe to open in a spreadsheet: a cell that would start with a formula character gets a
 * leading single quote, so a label or URL chosen by someone else cannot run as a formula (CSV injection).
 */
final class Csv {

    static final String MEDIA_TYPE = "text/csv";
    private static final CsvMapper MAPPER = new CsvMapper();

    /** A column: its header and how to read its cell from a row. */
    record Column<T>(String header, Function<T, Object> value) {
    }

    private Csv() {
    }

    /** Whether the client asked for CSV, with {@code ?format=csv} or an {@code Accept: text/csv} header. */
    static boolean wanted(String format, HttpHeaders headers) {
        if (format != null) {
            return format.equalsIgnoreCase("csv");
        }
        for (MediaType type : headers.getAcceptableMediaTypes()) {
            if (!type.isWildcardType() && type.isCompatible(MediaType.valueOf(MEDIA_TYPE))) {
                return true;
            }
        }
        return false;
    }

    static <T> Response response(String fileName, List<Column<T>> columns, List<T> rows) {
        return Response.ok(write(columns, rows))
                .type(MEDIA_TYPE + ";charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"" + fileName + "\"")
                .build();
    }

    static <T> String write(List<Column<T>> columns, List<T> rows) {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        columns.forEach(c -> schema.addColumn(c.header()));
        StringWriter out = new StringWriter();
        try (SequenceWriter writer = MAPPER.writer(schema.build()).writeValues(out)) {
            for (T row : rows) {
                String[] cells = new String[columns.size()];
                for (int i = 0; i < cells.length; i++) {
                    cells[i] = neutralise(columns.get(i).value().apply(row));
                }
                writer.write(cells);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Text as a spreadsheet will show it, never as a formula. */
    static String neutralise(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            return "'" + text;
        }
        return text;
    }
}
