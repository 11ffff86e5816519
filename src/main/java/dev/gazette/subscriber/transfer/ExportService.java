package dev.gazette.subscriber.transfer;

import java.io.IOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;

import jakarta.inject.Singleton;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import dev.gazette.common.CsvCells;
import dev.gazette.subscriber.SubscriberStatus;
import io.agroal.api.AgroalDataSource;

/**
 * Streams readers as CSV in keyset batches (never all in memory), with formula-looking cells neutralised.
 */
@Singleton
public class ExportService {

    static final int BATCH = 5_000;
    static final String[] HEADER = { "email", "name", "status", "topics", "frequency", "timezone", "subscribed at",
            "confirmed at", "source" };

    private final AgroalDataSource dataSource;

    ExportService(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void write(SubscriberStatus status, Writer out) throws IOException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement st = connection.prepareStatement("""
                        select s.id, s.email, s.name, s.status, s.all_topics,
                            (select string_agg(t.slug, ';' order by t.slug) from subscriber_topic st join topic t on t.id = st.topic_id
                             where st.subscriber_id = s.id),
                            s.frequency, s.timezone, s.consent_at, s.confirmed_at,
                            coalesce(s.source_label, s.source_ref, s.source_utm_source, lower(s.consent_source))
                        from subscriber s where s.id > ? and (cast(? as varchar) is null or s.status = ?)
                        order by s.id limit ?""");
                CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(HEADER).get())) {
            long last = 0;
            int rows;
            do {
                st.setLong(1, last);
                st.setString(2, status == null ? null : status.name());
                st.setString(3, status == null ? null : status.name());
                st.setInt(4, BATCH);
                rows = 0;
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        last = rs.getLong(1);
                        printer.printRecord(CsvCells.safe(rs.getString(2)), CsvCells.safe(rs.getString(3)),
                                rs.getString(4).toLowerCase(), rs.getBoolean(5) ? "all" : CsvCells.safe(rs.getString(6)),
                                rs.getString(7).toLowerCase(), rs.getString(8), iso(rs.getTimestamp(9)),
                                iso(rs.getTimestamp(10)), CsvCells.safe(rs.getString(11)));
                    }
                }
                printer.flush();
            } while (rows == BATCH);
        } catch (SQLException e) {
            throw new IOException("Cannot read subscribers", e);
        }
    }

    private static String iso(Timestamp ts) {
        return ts == null ? "" : ts.toInstant().toString();
    }
}
