package dev.gazette.admin.web;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import dev.gazette.article.Article;
import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import dev.gazette.digest.DigestIssue;
import dev.gazette.digest.IssueStatus;
import dev.gazette.digest.NextIssues;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * A newsletter's next issue in the editor: when it goes out and locks, to how many readers, and the editor's hand on
 * it (subject, preheader, note, pinned and excluded articles) until it locks.
 */
@Path("/admin/newsletters/{id: \\d+}/next")
@Produces(MediaType.TEXT_HTML)
public class NextIssuePages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance next(AdminChrome chrome, long newsletterId, Issue issue, Form form, List<Row> rows,
                Map<String, String> errors, String notice);
    }

    /** The issue's facts. */
    public record Issue(long id, int number, java.time.LocalDate date, Instant firstDue, Instant lastDue, Instant locksAt,
            boolean locked,
            long readersDue, String defaultSubject) {
    }

    /** What the form holds (as saved, or as typed when refused). */
    public record Form(String subject, String preheader, String note) {
    }

    /** An article of the issue, with what the editor chose for it. */
    public record Row(Article article, boolean pinned, String order, boolean forAll, boolean excluded) {
    }

    private final AdminContext context;
    private final NextIssues nextIssues;

    NextIssuePages(AdminContext context, NextIssues nextIssues) {
        this.context = context;
        this.nextIssues = nextIssues;
    }

    @GET
    @RolesAllowed(Roles.EDITOR)
    public Response page(@PathParam("id") long id, @QueryParam("notice") String notice) {
        DigestIssue issue = next(id);
        List<Row> rows = new ArrayList<>();
        List<Long> pinned = List.of(issue.pinnedIds);
        Set<Long> excluded = Set.of(issue.excludedIds);
        for (Article a : nextIssues.candidates(issue)) {
            int at = pinned.indexOf(a.id);
            rows.add(new Row(a, at >= 0, at >= 0 ? String.valueOf(at + 1) : "", at >= 0 && Boolean.TRUE.equals(issue.pinnedForAll[at]),
                    excluded.contains(a.id)));
        }
        return Response.ok(Templates.next(context.chrome("newsletters"), id, facts(issue),
                new Form(issue.subjectTemplate, issue.preheader, issue.noteMarkdown), rows, Map.of(),
                "saved".equals(notice) ? "Saved. Readers get the issue as it is now, unless you change it before it locks." : null))
                .build();
    }

    /**
     * Saves the form. Each article row sends its id ({@code row}) and pin order ({@code order}) in the same order;
     * {@code pin}, {@code forAll} and {@code exclude} list the ids whose box is ticked.
     */
    @POST
    @RolesAllowed(Roles.EDITOR)
    public Response save(@PathParam("id") long id, @RestForm Long issueId, @RestForm String subject, @RestForm String preheader,
            @RestForm String note, @RestForm List<Long> row, @RestForm List<String> order, @RestForm List<Long> pin,
            @RestForm List<Long> forAll, @RestForm List<Long> exclude) {
        DigestIssue current = next(id);
        long target = issueId == null ? current.id : nextIssues.ofNewsletter(id, issueId).id;
        List<Long> rows = row == null ? List.of() : row;
        Set<Long> pinned = new HashSet<>(pin == null ? List.of() : pin);
        Set<Long> everyone = new HashSet<>(forAll == null ? List.of() : forAll);
        List<Long> excluded = exclude == null ? List.of() : exclude;
        // pins in the order typed; a pin without a number comes after the numbered ones, in the page's order
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (pinned.contains(rows.get(i))) {
                positions.add(i);
            }
        }
        positions.sort(Comparator.comparingInt((Integer i) -> rank(order, i)).thenComparingInt(i -> i));
        List<NextIssues.Pin> pins = positions.stream().map(i -> new NextIssues.Pin(rows.get(i), everyone.contains(rows.get(i))))
                .toList();
        try {
            nextIssues.edit(target, new NextIssues.Edit(subject, preheader, note, pins, excluded));
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw e;
            }
            DigestIssue issue = nextIssues.ofNewsletter(id, target);
            List<Row> typed = new ArrayList<>();
            Map<Long, Article> articles = new java.util.HashMap<>();
            nextIssues.candidates(issue).forEach(a -> articles.put(a.id, a));
            for (int i = 0; i < rows.size(); i++) {
                Article a = articles.get(rows.get(i));
                if (a != null) {
                    typed.add(new Row(a, pinned.contains(a.id), order != null && i < order.size() ? order.get(i) : "",
                            everyone.contains(a.id), excluded.contains(a.id)));
                }
            }
            return Response.status(e.status()).entity(Templates.next(context.chrome("newsletters"), id, facts(issue),
                    new Form(subject, preheader, note), typed, FieldErrors.of(e, "form"), null)).build();
        }
        return Response.seeOther(URI.create("/admin/newsletters/" + id + "/next?notice=saved")).build();
    }

    private static int rank(List<String> order, int i) {
        String value = order != null && i < order.size() ? order.get(i) : null;
        try {
            return value == null || value.isBlank() ? Integer.MAX_VALUE : Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    private Issue facts(DigestIssue issue) {
        Instant locksAt = nextIssues.locksAt(issue);
        return new Issue(issue.id, issue.number, issue.issueDate, nextIssues.firstDue(issue), nextIssues.lastDue(issue), locksAt,
                issue.status != IssueStatus.PLANNED || !context.now().isBefore(locksAt), nextIssues.readersDue(issue),
                issue.subject);
    }

    private DigestIssue next(long id) {
        return nextIssues.next(id).orElseThrow(() -> new ProblemException(409, "Conflict",
                "This newsletter is paused: it has no next issue until it is resumed."));
    }
}
