package dev.gazette.link.api;

import java.util.List;
import java.util.function.Function;

import dev.gazette.common.CsvReports;
import dev.gazette.link.LinkContextType;
import dev.gazette.link.LinkStats;
import dev.gazette.link.TrackedLink;
import dev.gazette.link.TrackedLinkService;

/**
 * One line of a link report, in JSON and CSV alike: from previews and clicks to subscribers and confirmations.
 */
public record LinkStatsRow(long id, String code, String url, String target, LinkContextType contextType, Long contextId,
        String label, long previews, long clicks, long uniqueClicks, long subscribes, long confirmations) {

    /** The CSV columns, in order: a header and how to read the cell from a row. */
    static final List<CsvReports.Column<LinkStatsRow>> COLUMNS = List.of(
            column("id", LinkStatsRow::id),
            column("code", LinkStatsRow::code),
            column("url", LinkStatsRow::url),
            column("target", LinkStatsRow::target),
            column("context_type", LinkStatsRow::contextType),
            column("context_id", LinkStatsRow::contextId),
            column("label", LinkStatsRow::label),
            column("previews", LinkStatsRow::previews),
            column("clicks", LinkStatsRow::clicks),
            column("unique_clicks", LinkStatsRow::uniqueClicks),
            column("subscribes", LinkStatsRow::subscribes),
            column("confirmations", LinkStatsRow::confirmations));

    static LinkStatsRow of(LinkStats stats, TrackedLinkService links) {
        TrackedLink l = stats.link();
        return new LinkStatsRow(l.id, l.code, links.shortUrl(l), l.targetUrl, l.contextType, l.contextId, l.label,
                stats.counts().previews(), stats.counts().clicks(), stats.counts().uniqueClicks(),
                stats.counts().subscribes(), stats.counts().confirmations());
    }

    private static CsvReports.Column<LinkStatsRow> column(String header, Function<LinkStatsRow, Object> value) {
        return new CsvReports.Column<>(header, value);
    }
}
