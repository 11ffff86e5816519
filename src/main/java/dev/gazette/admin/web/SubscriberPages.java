package dev.gazette.admin.web;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.jboss.resteasy.reactive.RestForm;

import dev.gazette.article.Topic;
import dev.gazette.article.TopicService;
import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import dev.gazette.subscriber.PrivacyService;
import dev.gazette.subscriber.Subscriber;
import dev.gazette.subscriber.SubscriberDirectory;
import dev.gazette.subscriber.SubscriberEvent;
import dev.gazette.subscriber.SubscriberStatus;
import dev.gazette.subscriber.Suppression;
import dev.gazette.subscriber.SuppressionReason;
import dev.gazette.subscriber.SuppressionService;
import dev.gazette.subscriber.transfer.ExportService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The Subscribers section of the editor UI: search and counts, one reader with their history (suppress, lift,
 * privacy export, erase), and CSV export. Editing and adding readers are {@link ReaderEditPages}', imports
 * {@link ReaderImportPages}'. Everything goes
 * through the services the subscriber API uses; the downloads have their own routes here because a browser's
 * download cannot send the API's Bearer token.
 */
@Path("/admin/subscribers")
@Produces(MediaType.TEXT_HTML)
public class SubscriberPages {

    static final String SECTION = "subscribers";
    static final int PAGE = 50;
    static final int MAX_PAGE = 500;
    /** The reasons an editor may suppress an address for, as the suppression API allows. */
    static final List<SuppressionReason> EDITOR_REASONS = Arrays.stream(SuppressionReason.values())
            .filter(SuppressionReason::needsEditor).toList();

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance search(AdminChrome chrome, Map<String, Long> counts, List<Subscriber> subscribers,
                long matching, SearchForm form, String nextPage, String firstPage, List<Topic> topics,
                List<SubscriberStatus> statuses, String notice);

        static native TemplateInstance subscriber(AdminChrome chrome, Subscriber s, List<SubscriberEvent> history,
                Suppression suppression, List<SuppressionReason> reasons, Map<String, String> errors, String reason,
                String note, String notice);

        static native TemplateInstance erase(AdminChrome chrome, Subscriber s, String error);
    }

    /** The search as typed, kept in the form and in the paging links. */
    public record SearchForm(String email, String status, String topic, String source, int limit) {

        String query(Long after) {
            StringBuilder q = new StringBuilder();
            append(q, "email", email);
            append(q, "status", status);
            append(q, "topic", topic);
            append(q, "source", source);
            if (limit != PAGE) {
                append(q, "limit", String.valueOf(limit));
            }
            if (after != null) {
                append(q, "after", after.toString());
            }
            return "/admin/subscribers" + (q.isEmpty() ? "" : "?" + q);
        }

        private static void append(StringBuilder q, String name, String value) {
            if (value != null && !value.isEmpty()) {
                q.append(q.isEmpty() ? "" : "&").append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
    }

    private final AdminContext context;
    private final SubscriberDirectory directory;
    private final SuppressionService suppressions;
    private final ExportService exports;
    private final TopicService topics;
    private final PrivacyService privacy;

    SubscriberPages(AdminContext context, SubscriberDirectory directory, PrivacyService privacy,
            SuppressionService suppressions, ExportService exports, TopicService topics) {
        this.context = context;
        this.directory = directory;
        this.privacy = privacy;
        this.suppressions = suppressions;
        this.exports = exports;
        this.topics = topics;
    }

    private AdminChrome chrome() {
        return context.chrome(SECTION);
    }

    // ---- search

    @GET
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance search(@QueryParam("email") String email, @QueryParam("status") String status,
            @QueryParam("topic") String topic, @QueryParam("source") String source, @QueryParam("after") String after,
            @QueryParam("limit") String limit, @QueryParam("notice") String notice) {
        SubscriberStatus wanted = parse(SubscriberStatus.class, status);
        int size = Math.max(1, Math.min(MAX_PAGE, parseLong(limit, (long) PAGE).intValue()));
        Long cursor = parseLong(after, null);
        SearchForm form = new SearchForm(trimmed(email, 320), wanted == null ? "" : wanted.name(), trimmed(topic, 100),
                trimmed(source, 100), size);
        SubscriberDirectory.Filter filter = new SubscriberDirectory.Filter(form.email(), wanted,
                form.topic().isEmpty() ? null : form.topic(), form.source());
        SubscriberDirectory.Page page = directory.search(filter, cursor, size);
        @SuppressWarnings("unchecked")
        Map<String, Long> byStatus = (Map<String, Long>) directory.counts().get("byStatus");
        return Templates.search(chrome(), byStatus, page.items(), directory.count(filter), form,
                page.nextCursor() == null ? null : form.query(page.nextCursor()), cursor == null ? null : form.query(null),
                topics.list(), Arrays.asList(SubscriberStatus.values()), "erased".equals(notice)
                        ? "The reader was erased: their personal data and history are deleted, and a keyed hash of the address stays on the suppression list."
                        : null);
    }

    // ---- one reader

    @GET
    @Path("/{id: \\d+}")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance subscriber(@PathParam("id") long id, @QueryParam("notice") String notice) {
        return subscriberPage(find(id), Map.of(), null, null, noticeText(notice));
    }

    private TemplateInstance subscriberPage(Subscriber s, Map<String, String> errors, String reason, String note, String notice) {
        return Templates.subscriber(chrome(), s, directory.history(s.id), suppressions.find(s.emailKey).orElse(null),
                EDITOR_REASONS, errors, reason == null ? "" : reason, note == null ? "" : note, notice);
    }

    private static String noticeText(String notice) {
        if (notice == null) {
            return null;
        }
        return switch (notice) {
            case "suppressed" -> "The address is suppressed: it gets no more mail.";
            case "lifted" -> "The suppression is lifted.";
            case "edited" -> "The reader's preferences are saved; their history records the change.";
            case "added" -> "The reader is added as confirmed: they get the next digest.";
            case "added-pending" -> "The reader is added and the confirmation mail is on its way: they get digests once they"
                    + " confirm.";
            default -> null;
        };
    }

    private Subscriber find(long id) {
        return directory.find(id).orElseThrow(() -> ProblemException.notFound("Subscriber " + id));
    }

    /** Everything stored about the reader, as the API's privacy export gives it, as a download. */
    @GET
    @Path("/{id: \\d+}/export.json")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.EDITOR)
    public Response privacyExport(@PathParam("id") long id) {
        PrivacyService.Export data = privacy.export(id);
        return Response.ok(data, MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8"))
                .header("Content-Disposition", "attachment; filename=\"subscriber-" + id + ".json\"")
                .header("Cache-Control", "private, no-store").build();
    }

    /** Suppresses the reader's address, for the reasons the suppression API accepts. */
    @POST
    @Path("/{id: \\d+}/suppress")
    @RolesAllowed(Roles.EDITOR)
    public Response suppress(@PathParam("id") long id, @RestForm String reason, @RestForm String note) {
        Subscriber s = find(id);
        Map<String, String> errors = new HashMap<>();
        SuppressionReason wanted = parse(SuppressionReason.class, reason);
        if (wanted == null || !wanted.needsEditor()) {
            errors.put("reason", "choose blocked, hard bounce or complaint");
        }
        String cleanNote = note == null || note.isBlank() ? null : note.strip();
        if (cleanNote != null && cleanNote.length() > 500) {
            errors.put("note", "must be at most 500 characters");
        }
        if (!errors.isEmpty()) {
            return Response.status(400).entity(subscriberPage(s, errors, reason, note, null)).build();
        }
        suppressions.suppress(s.email, wanted, cleanNote);
        return Response.seeOther(URI.create("/admin/subscribers/" + id + "?notice=suppressed")).build();
    }

    /** Lifts a bounce, complaint or block; an unsubscribe is refused as the API refuses it. */
    @POST
    @Path("/{id: \\d+}/unsuppress")
    @RolesAllowed(Roles.EDITOR)
    public Response unsuppress(@PathParam("id") long id) {
        Subscriber s = find(id);
        Optional<Suppression> suppression = suppressions.find(s.emailKey);
        if (suppression.isEmpty()) {
            return Response.status(409).entity(subscriberPage(s, Map.of("lift", "The address is not suppressed."), null, null,
                    null)).build();
        }
        try {
            suppressions.lift(suppression.get().id);
        } catch (ProblemException e) {
            return Response.status(e.status()).entity(subscriberPage(s, Map.of("lift", e.getMessage()), null, null, null))
                    .build();
        }
        return Response.seeOther(URI.create("/admin/subscribers/" + id + "?notice=lifted")).build();
    }

    @GET
    @Path("/{id: \\d+}/erase")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance eraseConfirmation(@PathParam("id") long id) {
        return Templates.erase(chrome(), find(id), null);
    }

    /** Erases the reader as the API does, only once the editor ticked that they understand. */
    @POST
    @Path("/{id: \\d+}/erase")
    @RolesAllowed(Roles.EDITOR)
    public Response erase(@PathParam("id") long id, @RestForm String confirm) {
        Subscriber s = find(id);
        if (!"yes".equals(confirm)) {
            return Response.status(400).entity(Templates.erase(chrome(), s,
                    "Tick \"I understand\" to confirm: erasing cannot be undone.")).build();
        }
        privacy.erase(id);
        return Response.seeOther(URI.create("/admin/subscribers?notice=erased")).build();
    }

    // ---- export

    /** Readers as CSV (formula-safe cells), through the API's export service. */
    @GET
    @Path("/export.csv")
    @Produces("text/csv")
    @RolesAllowed(Roles.EDITOR)
    public Response export(@QueryParam("status") String status) {
        SubscriberStatus wanted = parse(SubscriberStatus.class, status);
        StreamingOutput stream = out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            exports.write(wanted, writer);
        };
        return Response.ok(stream, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"subscribers"
                        + (wanted == null ? "" : "-" + wanted.name().toLowerCase()) + ".csv\"")
                .header("Cache-Control", "private, no-store").build();
    }

    // ---- helpers

    private static <E extends Enum<E>> E parse(Class<E> type, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Long parseLong(String value, Long otherwise) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return Long.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static String trimmed(String value, int max) {
        if (value == null) {
            return "";
        }
        String v = value.strip();
        return v.length() <= max ? v : v.substring(0, max);
    }
}
