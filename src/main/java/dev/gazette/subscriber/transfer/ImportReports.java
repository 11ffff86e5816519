package dev.gazette.subscriber.transfer;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import dev.gazette.common.CsvCells;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;

/**
 * What editors read about imports: the recent ones, each one's per-row report and the topics its file named that did
 * not exist.
 */
@ApplicationScoped
public class ImportReports {

    private final AgroalDataSource dataSource;

    ImportReports(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The newest imports, and how many there are in all. */
    public record Recent(List<SubscriberImport> imports, long total) {
    }

    public Recent recent(int limit) {
        return QuarkusTransaction.requiringNew().call(() -> new Recent(
                SubscriberImport.<SubscriberImport> findAll(Sort.descending("id")).page(0, limit).list(), SubscriberImport.count()));
    }

    /** A row of an import's report: its number in the file, the address as given, why it was not imported as is. */
    public record ReportLine(int row, String email, String reason) {
    }

    /** A topic the file named that did not exist: how many rows named it, and whether the import created it. */
    public record UnknownTopic(String slug, int rows, boolean created) {
    }

    /** The first lines of an import's per-row report, in file order. */
    public List<ReportLine> reportLines(long importId, int limit) {
        List<ReportLine> lines = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement st = connection.prepareStatement(ImportStatements.REPORT + " limit ?")) {
            st.setLong(1, importId);
            st.setInt(2, limit);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    lines.add(new ReportLine(rs.getInt(1), rs.getString(2), rs.getString(3)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the report of import " + importId, e);
        }
        return lines;
    }

    /** The topics an import's file named that did not exist, most named first. */
    public List<UnknownTopic> unknownTopics(long importId) {
        List<UnknownTopic> topics = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement st = connection.prepareStatement(ImportStatements.UNKNOWN_TOPICS)) {
            st.setLong(1, importId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    topics.add(new UnknownTopic(rs.getString(1), rs.getInt(2), rs.getBoolean(3)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the unknown topics of import " + importId, e);
        }
        return topics;
    }

    /** The per-row report of an import: row number, address, reason. */
    public void writeReport(long importId, java.io.Writer out) throws IOException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement st = connection.prepareStatement(ImportStatements.REPORT);
                CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader("row", "email", "reason").get())) {
            st.setLong(1, importId);
            st.setFetchSize(5000);
            connection.setAutoCommit(false);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    printer.printRecord(rs.getInt(1), CsvCells.safe(rs.getString(2)), rs.getString(3));
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IOException("Cannot read the import report", e);
        }
    }
}
