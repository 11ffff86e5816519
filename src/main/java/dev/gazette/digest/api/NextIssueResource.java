package dev.gazette.digest.api;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.gazette.article.Article;
import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import dev.gazette.digest.DigestIssue;
import dev.gazette.digest.IssueStatus;
import dev.gazette.digest.NextIssues;

/**
 * A newsletter's next scheduled issue, which editors shape before it goes out: note, subject, preheader, pinned and
 * excluded articles. Changes are refused with 409 once it has locked.
 */
@Path("/api/v1/newsletters/{id}/next-issue")
@Tag(name = "Newsletters")
@SecurityRequirement(name = "apiToken")
@RolesAllowed(Roles.EDITOR)
public class NextIssueResource {

    /** A pinned article as sent and shown. */
    public record PinView(@NotNull Long articleId, String title, boolean forAllReaders) {
    }

    /** The next issue as the editor sees it. */
    public record NextIssueView(long id, int number, LocalDate issueDate, IssueStatus status, Instant locksAt,
            Instant firstSendAt, Instant lastSendAt, long readersDue, String defaultSubject, String subject, String preheader, String note,
            List<PinView> pins, List<Long> excluded, List<Candidate> articles) {
    }

    /** An article an editor may pin or exclude. */
    public record Candidate(long id, String title, Instant publishedAt, List<String> topics) {
    }

    /**
     * The changes: every field replaces what the issue had (null or empty clears it). {@code issueId}, when given, is
     * the issue the editor was looking at: if it has gone out meanwhile the answer is 409, rather than the changes
     * landing on the issue after it.
     */
    public record NextIssueInput(Long issueId, String subject, String preheader, String note, @Valid List<PinView> pins,
            List<Long> excluded) {
    }

    private final NextIssues nextIssues;

    NextIssueResource(NextIssues nextIssues) {
        this.nextIssues = nextIssues;
    }

    @GET
    @Operation(summary = "The next issue, made ahead of its first send window; 404 while the newsletter is paused")
    public NextIssueView get(@PathParam("id") long id) {
        return view(next(id));
    }

    @PUT
    @Operation(summary = "Set the next issue's note, subject, preheader, pins and exclusions; 409 once it has locked")
    public NextIssueView put(@PathParam("id") long id, NextIssueInput input) {
        if (input == null) {
            throw ProblemException.invalid("body", "must be a JSON object");
        }
        DigestIssue issue = next(id);
        long target = input.issueId() == null ? issue.id : nextIssues.ofNewsletter(id, input.issueId()).id;
        List<NextIssues.Pin> pins = new ArrayList<>();
        for (PinView pin : input.pins() == null ? List.<PinView>of() : input.pins()) {
            pins.add(new NextIssues.Pin(pin.articleId(), pin.forAllReaders()));
        }
        return view(nextIssues.edit(target, new NextIssues.Edit(input.subject(), input.preheader(), input.note(), pins,
                input.excluded())));
    }

    private DigestIssue next(long id) {
        return nextIssues.next(id).orElseThrow(() -> new ProblemException(404, "Not Found",
                "Newsletter " + id + " is paused: it has no next issue until it is resumed."));
    }

    private NextIssueView view(DigestIssue issue) {
        List<Article> articles = nextIssues.candidates(issue);
        Map<Long, String> titles = new java.util.HashMap<>();
        articles.forEach(a -> titles.put(a.id, a.title));
        List<PinView> pins = new ArrayList<>();
        for (int i = 0; i < issue.pinnedIds.length; i++) {
            pins.add(new PinView(issue.pinnedIds[i], titles.get(issue.pinnedIds[i]), Boolean.TRUE.equals(issue.pinnedForAll[i])));
        }
        return new NextIssueView(issue.id, issue.number, issue.issueDate, issue.status, nextIssues.locksAt(issue),
                nextIssues.firstDue(issue), nextIssues.lastDue(issue), nextIssues.readersDue(issue), issue.subject, issue.subjectTemplate,
                issue.preheader, issue.noteMarkdown, pins, List.of(issue.excludedIds),
                articles.stream().map(a -> new Candidate(a.id, a.title, a.publishedAt, a.topics.stream().map(t -> t.name).toList()))
                        .toList());
    }
}
