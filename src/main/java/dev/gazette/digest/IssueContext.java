package dev.gazette.digest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.gazette.mail.HeaderFields;

/**
 * What every reader of an issue shares, built once per issue and sender: the newsletter's settings, the issue's
 * headers, and the article blocks rendered so far.
 */
public final class IssueContext {

    /** The links' blue of the default template (7.3:1 on white). */
    static final String DEFAULT_ACCENT = "#0b57d0";

    final long issueId;
    final int number;
    final IssueStatus status;
    final String subject;
    /** The editor's subject template for this issue (checked when saved), or null for the default subject. */
    final String subjectTemplate;
    final java.time.LocalDate issueDate;
    /** The editor's preheader, or null: each reader's first headlines. */
    final String preheader;
    /** The editor's note, as sanitised HTML and as the Markdown typed (the text part); both null without one. */
    final String noteHtml;
    final String noteText;
    final String issueLabel;
    final String webUrl;
    final String newsletterSlug;
    final String newsletterName;
    final String description;
    /** The newsletter's accent colour, #rrggbb (the default blue when none is set). */
    final String accent;
    final String footerText;
    /** The newsletter's logo, or null. */
    final String logoUrl;
    final String postalAddress;
    final String from;
    final String replyTo;
    final String listId;
    final boolean compact;
    final boolean trackLinks;
    final boolean trackOpens;
    final DeliveryLedger.Scope scope;
    /** The field of the newsletter or issue whose stored value cannot go into a header (saved before it was checked), or null. */
    final String unfitHeader;
    /** Recent articles for "Also read", newest first; filled once when the context is built. */
    final List<DigestRenderer.Block> alsoRead = new ArrayList<>();
    final Instant builtAt;
    final Map<Long, DigestRenderer.Block> blocks = new ConcurrentHashMap<>();
    /** The "Also read" section, rendered once per distinct choice of articles (most readers share one). */
    final Map<List<Long>, String[]> alsoReadSections = new ConcurrentHashMap<>();

    IssueContext(DigestIssue issue, Newsletter n, String webUrl, Instant builtAt) {
        this.issueId = issue.id;
        this.number = issue.number;
        this.status = issue.status;
        this.subject = issue.subject;
        this.subjectTemplate = issue.subjectTemplate;
        this.issueDate = issue.issueDate;
        this.preheader = issue.preheader;
        this.noteHtml = issue.noteHtml;
        this.noteText = issue.noteMarkdown;
        this.issueLabel = issue.label();
        this.webUrl = webUrl;
        this.newsletterSlug = n.slug;
        this.newsletterName = n.name;
        this.description = n.description;
        this.accent = n.accentColor == null ? DEFAULT_ACCENT : n.accentColor;
        this.footerText = n.footerText;
        this.logoUrl = n.logoUrl;
        // one line in the footer: "Gazette Media · 12 Harbour Street · Bristol"
        this.postalAddress = n.postalAddress == null ? null
                : String.join(" · ", n.postalAddress.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
        this.from = n.fromHeader();
        this.replyTo = n.replyTo;
        this.listId = n.name.replaceAll("[\\p{Cntrl}<>\"]", " ").strip() + " <" + n.listId + ">";
        this.compact = n.template == DigestTemplate.COMPACT;
        this.trackLinks = n.trackLinks;
        this.trackOpens = n.trackOpens;
        this.scope = new DeliveryLedger.Scope(n.id, n.cadence == Cadence.WEEKLY, n.allTopics,
                n.topics.stream().map(t -> t.id).toArray(Long[]::new), n.maxItems, issue.pinnedIds, issue.pinnedForAll,
                issue.excludedIds, issue.kind == IssueKind.SPECIAL);
        this.builtAt = builtAt;
        Map<String, String> headers = n.headerFields();
        headers.put("subject", issue.subject);
        if (issue.preheader != null) {
            headers.put("preheader", issue.preheader);
        }
        this.unfitHeader = HeaderFields.firstUnfit(headers).orElse(null);
    }
}
