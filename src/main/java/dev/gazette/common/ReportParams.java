package dev.gazette.common;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The query every report takes ({@code @BeanParam}): a period of UTC days and the format, CSV by {@code ?format=csv}
 * or {@code Accept: text/csv}, JSON otherwise.
 */
public class ReportParams {

    @Parameter(description = "First day, e.g. 2026-03-01")
    @QueryParam("from")
    String from;

    @Parameter(description = "Last day, e.g. 2026-03-31")
    @QueryParam("to")
    String to;

    @Parameter(description = "csv for a CSV file")
    @QueryParam("format")
    String format;

    @Parameter(hidden = true)
    @HeaderParam("Accept")
    String accept;

    /** The period asked for; a date that is not one is refused naming its field. */
    public Period period() {
        return Period.parse(from, to);
    }

    /** Whether the client asked for CSV. */
    public boolean csv() {
        return CsvReports.wanted(format, accept);
    }
}
