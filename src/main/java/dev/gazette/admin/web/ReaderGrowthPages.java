package dev.gazette.admin.web;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.gazette.common.CsvReports;
import dev.gazette.common.Period;
import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import dev.gazette.stats.ReaderGrowth;
import dev.gazette.stats.api.ReaderGrowthResource;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * A newsletter's readers over time in the editor: new, confirmed, unsubscribed and suppressed readers per day in the
 * site's zone, as a server-drawn SVG chart beside a table of the same numbers, and a CSV download with the session.
 */
@Path("/admin/newsletters/{id: \\d+}/readers")
@Produces(MediaType.TEXT_HTML)
public class ReaderGrowthPages {

    private static final DateTimeFormatter SHORT_DAY = DateTimeFormatter.ofPattern("MMM d", Locale.ENGLISH);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance readers(AdminChrome chrome, long newsletterId, String from, String to,
                Map<String, String> errors, ReaderGrowth.Growth growth, StatsPages.LineChart chart, String query);
    }

    private record Line(String name, ToLongFunction<ReaderGrowth.Day> value) {
    }

    private static final List<Line> LINES = List.of(new Line("New", ReaderGrowth.Day::created),
            new Line("Confirmed", ReaderGrowth.Day::confirmed), new Line("Unsubscribed", ReaderGrowth.Day::unsubscribed),
            new Line("Suppressed", ReaderGrowth.Day::suppressed));
    private static final List<String> DASHES = List.of("", "6 3", "2 3", "8 3 2 3");

    private final AdminContext context;
    private final ReaderGrowth growth;

    ReaderGrowthPages(AdminContext context, ReaderGrowth growth) {
        this.context = context;
        this.growth = growth;
    }

    @GET
    @RolesAllowed(Roles.EDITOR)
    public Response page(@PathParam("id") long id, @QueryParam("from") String from, @QueryParam("to") String to) {
        Period range;
        try {
            range = growth.range(Period.parse(from, to));
        } catch (ProblemException e) {
            ReaderGrowth.Growth none = null;
            return Response.status(400).entity(Templates.readers(context.chrome("newsletters"), id, from == null ? "" : from,
                    to == null ? "" : to, FieldErrors.of(e, "from"), none, null, "")).build();
        }
        ReaderGrowth.Growth g = growth.of(id, range);
        return Response.ok(Templates.readers(context.chrome("newsletters"), id, g.from().toString(), g.to().toString(), Map.of(),
                g, chart(g), "from=" + g.from() + "&to=" + g.to())).build();
    }

    @GET
    @Path("/readers.csv")
    @Produces(CsvReports.MEDIA_TYPE)
    @RolesAllowed(Roles.EDITOR)
    public Response csv(@PathParam("id") long id, @QueryParam("from") String from, @QueryParam("to") String to) {
        ReaderGrowth.Growth g = growth.of(id, growth.range(Period.parse(from, to)));
        return CsvReports.response("readers-" + id + "-" + g.from() + "-to-" + g.to() + ".csv", ReaderGrowthResource.COLUMNS,
                g.days());
    }

    static StatsPages.LineChart chart(ReaderGrowth.Growth g) {
        int width = 560;
        int height = 260;
        int left = 48;
        int right = width - 20;
        int top = 14;
        int bottom = height - 36;
        List<ReaderGrowth.Day> days = g.days();
        long max = 0;
        for (ReaderGrowth.Day d : days) {
            for (Line line : LINES) {
                max = Math.max(max, line.value().applyAsLong(d));
            }
        }
        long step = StatsPages.niceStep(Math.max(1, (max + 3) / 4));
        long yMax = Math.max(step, ((max + step - 1) / step) * step);
        List<StatsPages.Tick> yTicks = new ArrayList<>();
        for (long v = 0; v <= yMax; v += step) {
            int pos = y(v, yMax, top, bottom);
            yTicks.add(new StatsPages.Tick(pos, pos + 4, Long.toString(v)));
        }
        int n = days.size();
        List<StatsPages.Tick> xTicks = new ArrayList<>();
        int labels = Math.min(n, n <= 10 ? n : 6);
        for (int k = 0; k < labels; k++) {
            int i = labels == 1 ? 0 : (int) Math.round((double) k * (n - 1) / (labels - 1));
            int pos = x(i, n, left, right);
            xTicks.add(new StatsPages.Tick(pos, pos, SHORT_DAY.format(days.get(i).day())));
        }
        List<StatsPages.Series> series = new ArrayList<>();
        for (int c = 0; c < LINES.size(); c++) {
            Line line = LINES.get(c);
            StringBuilder points = new StringBuilder();
            List<StatsPages.Dot> dots = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                LocalDate day = days.get(i).day();
                long v = line.value().applyAsLong(days.get(i));
                int px = x(i, n, left, right);
                int py = y(v, yMax, top, bottom);
                points.append(i == 0 ? "" : " ").append(px).append(',').append(py);
                dots.add(new StatsPages.Dot(px, py, line.name() + ", " + day + ": " + v));
            }
            series.add(new StatsPages.Series(line.name(), "series-" + c, DASHES.get(c), points.toString(), dots));
        }
        String label = "Readers of " + g.newsletter() + " per day, " + g.from() + " to " + g.to() + " (" + g.zone() + "): "
                + g.total().created() + " new, " + g.total().confirmed() + " confirmed, " + g.total().unsubscribed()
                + " unsubscribed, " + g.total().suppressed() + " suppressed; one line each, the numbers are in the table.";
        return new StatsPages.LineChart(width, height, left, right, top, bottom, label, series, xTicks, yTicks);
    }

    private static int x(int i, int n, int left, int right) {
        return n <= 1 ? (left + right) / 2 : left + (int) Math.round((double) i * (right - left) / (n - 1));
    }

    private static int y(long v, long yMax, int top, int bottom) {
        return bottom - (int) Math.round((double) v / yMax * (bottom - top));
    }
}
