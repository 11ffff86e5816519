package dev.gazette.admin.web;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.gazette.common.CsvReports;
import dev.gazette.common.CsvReports.Column;
import dev.gazette.common.Period;
import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import dev.gazette.stats.FediverseReport;
import dev.gazette.stats.Funnel;
import dev.gazette.stats.LifecycleReport;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The editor's stats page: the reader funnel per channel (the fediverse account included), clicks per channel per
 * day, the top articles and the fediverse channel's followers and deliveries over a range of UTC days, drawn as
 * server-side SVG charts next to the same numbers in tables, with CSV downloads that work with the editor's session
 * (the API's CSV needs a Bearer token).
 */
@Path("/admin/stats")
@Produces(MediaType.TEXT_HTML)
public class StatsPages {

    static final int MAX_DAYS = 366;
    static final int TOP = 10;
    private static final DateTimeFormatter SHORT_DAY = DateTimeFormatter.ofPattern("MMM d", java.util.Locale.ENGLISH);
    private static final int PALETTE = 8;
    private static final List<String> DASHES = List.of("", "6 3", "2 3", "8 3 2 3");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance stats(AdminChrome chrome, String from, String to, Map<String, String> errors, Report report,
                LifecycleReport.Report lifecycle, FediverseReport.Report fediverse);
    }

    /** Everything the page shows for a valid range. */
    public record Report(LocalDate from, LocalDate to, String query, List<Funnel.ChannelFunnel> funnel, BarChart funnelChart,
            List<String> channels, List<DayRow> days, LineChart dailyChart, long totalClicks, List<Funnel.ArticleFunnel> top) {
    }

    /** One bar of the funnel chart. */
    public record Bar(String step, long value, String css, int y, int width, int textX, int textY, String title) {
    }

    /** The bars of one channel. */
    public record BarGroup(String channel, int headingY, List<Bar> bars) {
    }

    /** A horizontal bar chart: one group of bars per channel. */
    public record BarChart(int width, int height, String label, int barX, int labelX, int barHeight, List<BarGroup> groups) {
    }

    /** A point of a line, with what it shows. */
    public record Dot(int x, int y, String title) {
    }

    /** One channel's line. */
    public record Series(String name, String css, String dash, String points, List<Dot> dots) {
    }

    /** An axis label. */
    public record Tick(int pos, int labelPos, String label) {
    }

    /** A line chart of values per day. */
    public record LineChart(int width, int height, int left, int right, int top, int bottom, String label, List<Series> series,
            List<Tick> xTicks, List<Tick> yTicks) {

        /** Where the day labels go, under the plot. */
        public int dayLabelY() {
            return bottom + 20;
        }

        /** Where the value labels end, left of the plot. */
        public int valueLabelX() {
            return left - 6;
        }
    }

    /** The clicks of each channel on one day, in the order of the channels. */
    public record DayRow(LocalDate day, List<Long> clicks, long total) {
    }

    private final AdminContext context;
    private final Funnel funnel;
    private final LifecycleReport lifecycle;
    private final FediverseReport fediverse;
    private final Clock clock;

    StatsPages(AdminContext context, Funnel funnel, LifecycleReport lifecycle, FediverseReport fediverse, Clock clock) {
        this.context = context;
        this.funnel = funnel;
        this.lifecycle = lifecycle;
        this.fediverse = fediverse;
        this.clock = clock;
    }

    @GET
    @RolesAllowed(Roles.EDITOR)
    public Response page(@QueryParam("from") String from, @QueryParam("to") String to) {
        Period period;
        try {
            period = period(from, to);
        } catch (ProblemException e) {
            Map<String, String> errors = FieldErrors.of(e, "from");
            return Response.status(400).entity(Templates.stats(context.chrome("stats"), from == null ? "" : from,
                    to == null ? "" : to, errors, null, lifecycle.report(), null)).build();
        }
        // the fediverse account is a channel too, but not a row of channel: its numbers come from its own ledger
        FediverseReport.Report account = fediverse.of(period);
        return Response.ok(Templates.stats(context.chrome("stats"), period.from().toString(), period.to().toString(), Map.of(),
                report(period), lifecycle.report(), account.enabled() ? account : null)).build();
    }

    @GET
    @Path("/channels.csv")
    @Produces(CsvReports.MEDIA_TYPE)
    @RolesAllowed(Roles.EDITOR)
    public Response channelsCsv(@QueryParam("from") String from, @QueryParam("to") String to) {
        Period p = period(from, to);
        return CsvReports.response("channels-" + p.from() + "-to-" + p.to() + ".csv",
                withCounts(List.of(new Column<>("channel_id", Funnel.ChannelFunnel::channelId),
                        new Column<>("channel", Funnel.ChannelFunnel::channel), new Column<>("network", Funnel.ChannelFunnel::network),
                        new Column<>("status", Funnel.ChannelFunnel::status)), Funnel.ChannelFunnel::counts),
                funnel.perChannel(p));
    }

    /** One row per channel and day of the range, days without clicks included. */
    public record ChannelDayRow(LocalDate day, Funnel.ChannelFunnel channel, long previews, long clicks, long uniqueClicks) {
    }

    @GET
    @Path("/clicks-per-day.csv")
    @Produces(CsvReports.MEDIA_TYPE)
    @RolesAllowed(Roles.EDITOR)
    public Response dailyCsv(@QueryParam("from") String from, @QueryParam("to") String to) {
        Period p = period(from, to);
        List<Funnel.ChannelFunnel> channels = funnel.perChannel(p);
        Map<String, Funnel.ChannelDay> byKey = new HashMap<>();
        funnel.clicksPerChannelPerDay(p).forEach(d -> byKey.put(d.day() + "/" + d.channelId(), d));
        List<ChannelDayRow> rows = new ArrayList<>();
        for (LocalDate day = p.from(); !day.isAfter(p.to()); day = day.plusDays(1)) {
            for (Funnel.ChannelFunnel c : channels) {
                Funnel.ChannelDay d = byKey.get(day + "/" + c.channelId());
                rows.add(new ChannelDayRow(day, c, d == null ? 0 : d.previews(), d == null ? 0 : d.clicks(),
                        d == null ? 0 : d.uniqueClicks()));
            }
        }
        return CsvReports.response("clicks-per-day-" + p.from() + "-to-" + p.to() + ".csv", List.of(
                new Column<>("day", ChannelDayRow::day), new Column<>("channel_id", r -> r.channel().channelId()),
                new Column<>("channel", r -> r.channel().channel()), new Column<>("network", r -> r.channel().network()),
                new Column<>("previews", ChannelDayRow::previews), new Column<>("clicks", ChannelDayRow::clicks),
                new Column<>("unique_clicks", ChannelDayRow::uniqueClicks)), rows);
    }

    @GET
    @Path("/top-articles.csv")
    @Produces(CsvReports.MEDIA_TYPE)
    @RolesAllowed(Roles.EDITOR)
    public Response topArticlesCsv(@QueryParam("from") String from, @QueryParam("to") String to) {
        Period p = period(from, to);
        return CsvReports.response("top-articles-" + p.from() + "-to-" + p.to() + ".csv",
                withCounts(List.of(new Column<>("article_id", Funnel.ArticleFunnel::articleId),
                        new Column<>("slug", Funnel.ArticleFunnel::slug), new Column<>("title", Funnel.ArticleFunnel::title)),
                        Funnel.ArticleFunnel::counts),
                funnel.topArticles(p, Funnel.MAX_TOP));
    }

    /** The range asked for: UTC days, the last 7 by default, at most {@value #MAX_DAYS}. */
    private Period period(String from, String to) {
        Period asked = Period.parse(from, to);
        LocalDate last = asked.to() != null ? asked.to() : LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate first = asked.from() != null ? asked.from() : last.minusDays(6);
        Period p = new Period(first, last);
        if (ChronoUnit.DAYS.between(first, last) + 1 > MAX_DAYS) {
            throw ProblemException.invalid("from", "the range can be at most " + MAX_DAYS + " days");
        }
        return p;
    }

    private Report report(Period p) {
        List<Funnel.ChannelFunnel> rows = funnel.perChannel(p);
        List<String> names = rows.stream().map(Funnel.ChannelFunnel::channel).toList();
        Map<String, Long> clicks = new HashMap<>();
        funnel.clicksPerChannelPerDay(p).forEach(d -> clicks.put(d.day() + "/" + d.channelId(), d.clicks()));
        List<DayRow> days = new ArrayList<>();
        long total = 0;
        for (LocalDate day = p.from(); !day.isAfter(p.to()); day = day.plusDays(1)) {
            List<Long> perChannel = new ArrayList<>();
            long sum = 0;
            for (Funnel.ChannelFunnel c : rows) {
                long n = clicks.getOrDefault(day + "/" + c.channelId(), 0L);
                perChannel.add(n);
                sum += n;
            }
            days.add(new DayRow(day, perChannel, sum));
            total += sum;
        }
        String range = p.from() + " to " + p.to();
        return new Report(p.from(), p.to(), "from=" + p.from() + "&to=" + p.to(), rows, funnelChart(rows, range), names, days,
                lineChart(names, days, range), total, funnel.topArticles(p, TOP));
    }

    // ---- charts

    private record Step(String name, String css, ToLongFunction<Funnel.Counts> value) {
    }

    private static final List<Step> STEPS = List.of(new Step("Posts", "step-0", Funnel.Counts::posts),
            new Step("Previews", "step-1", Funnel.Counts::previews), new Step("Clicks", "step-2", Funnel.Counts::clicks),
            new Step("Unique clicks", "step-3", Funnel.Counts::uniqueClicks),
            new Step("Subscribes", "step-4", Funnel.Counts::subscribes),
            new Step("Confirmations", "step-5", Funnel.Counts::confirmations));

    static BarChart funnelChart(List<Funnel.ChannelFunnel> rows, String range) {
        int width = 520;
        int labelX = 116;
        int barX = 124;
        int maxBar = 350;
        int barHeight = 14;
        int pitch = 18;
        int groupHeight = 24 + STEPS.size() * pitch + 10;
        long max = 1;
        for (Funnel.ChannelFunnel r : rows) {
            for (Step s : STEPS) {
                max = Math.max(max, s.value().applyAsLong(r.counts()));
            }
        }
        List<BarGroup> groups = new ArrayList<>();
        int top = 8;
        for (Funnel.ChannelFunnel r : rows) {
            List<Bar> bars = new ArrayList<>();
            for (int i = 0; i < STEPS.size(); i++) {
                Step s = STEPS.get(i);
                long v = s.value().applyAsLong(r.counts());
                int w = v == 0 ? 0 : Math.max(2, (int) Math.round((double) v / max * maxBar));
                int y = top + 24 + i * pitch;
                bars.add(new Bar(s.name(), v, s.css(), y, w, barX + w + 6, y + barHeight - 3,
                        r.channel() + ": " + v + " " + s.name().toLowerCase(java.util.Locale.ROOT)));
            }
            groups.add(new BarGroup(r.channel() + " (" + r.network() + ")", top + 14, bars));
            top += groupHeight;
        }
        return new BarChart(width, top + 4, "Funnel per channel, " + range + ": posts, previews, clicks, unique clicks,"
                + " subscribes and confirmations of each channel as bars; the numbers are in the table.", barX, labelX, barHeight,
                groups);
    }

    static LineChart lineChart(List<String> channels, List<DayRow> days, String range) {
        int width = 560;
        int height = 260;
        int left = 48;
        int right = width - 20;
        int top = 14;
        int bottom = height - 36;
        long max = 0;
        for (DayRow d : days) {
            for (long n : d.clicks()) {
                max = Math.max(max, n);
            }
        }
        long step = niceStep(Math.max(1, (max + 3) / 4));
        long yMax = Math.max(step, ((max + step - 1) / step) * step);
        List<Tick> yTicks = new ArrayList<>();
        for (long v = 0; v <= yMax; v += step) {
            int pos = y(v, yMax, top, bottom);
            yTicks.add(new Tick(pos, pos + 4, Long.toString(v)));
        }
        int n = days.size();
        List<Tick> xTicks = new ArrayList<>();
        int labels = Math.min(n, n <= 10 ? n : 6);
        for (int k = 0; k < labels; k++) {
            int i = labels == 1 ? 0 : (int) Math.round((double) k * (n - 1) / (labels - 1));
            int pos = x(i, n, left, right);
            xTicks.add(new Tick(pos, pos, SHORT_DAY.format(days.get(i).day())));
        }
        List<Series> series = new ArrayList<>();
        for (int c = 0; c < channels.size(); c++) {
            StringBuilder points = new StringBuilder();
            List<Dot> dots = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long v = days.get(i).clicks().get(c);
                int px = x(i, n, left, right);
                int py = y(v, yMax, top, bottom);
                points.append(i == 0 ? "" : " ").append(px).append(',').append(py);
                dots.add(new Dot(px, py, channels.get(c) + ", " + days.get(i).day() + ": " + v + (v == 1 ? " click" : " clicks")));
            }
            series.add(new Series(channels.get(c), "series-" + (c % PALETTE), DASHES.get((c / PALETTE + c) % DASHES.size()),
                    points.toString(), dots));
        }
        return new LineChart(width, height, left, right, top, bottom, "Clicks per channel per day, " + range
                + ": one line per channel; the numbers are in the table.", series, xTicks, yTicks);
    }

    private static int x(int i, int n, int left, int right) {
        return n <= 1 ? (left + right) / 2 : left + (int) Math.round((double) i * (right - left) / (n - 1));
    }

    private static int y(long v, long yMax, int top, int bottom) {
        return bottom - (int) Math.round((double) v / yMax * (bottom - top));
    }

    /** The smallest of 1, 2, 5, 10, 20, 50… not below {@code atLeast}. */
    static long niceStep(long atLeast) {
        long magnitude = 1;
        while (true) {
            for (long m : new long[] { 1, 2, 5 }) {
                if (m * magnitude >= atLeast) {
                    return m * magnitude;
                }
            }
            magnitude *= 10;
        }
    }

    private static final List<Column<Funnel.Counts>> COUNTS = List.of(new Column<>("posts", Funnel.Counts::posts),
            new Column<>("previews", Funnel.Counts::previews), new Column<>("clicks", Funnel.Counts::clicks),
            new Column<>("unique_clicks", Funnel.Counts::uniqueClicks), new Column<>("subscribes", Funnel.Counts::subscribes),
            new Column<>("confirmations", Funnel.Counts::confirmations));

    private static <T> List<Column<T>> withCounts(List<Column<T>> leading, java.util.function.Function<T, Funnel.Counts> counts) {
        List<Column<T>> all = new ArrayList<>(leading);
        COUNTS.forEach(c -> all.add(new Column<>(c.header(), row -> c.value().apply(counts.apply(row)))));
        return all;
    }
}
