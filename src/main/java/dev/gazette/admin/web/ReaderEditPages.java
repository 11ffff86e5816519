package dev.gazette.admin.web;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import dev.gazette.article.Topic;
import dev.gazette.article.TopicService;
import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import dev.gazette.subscriber.Frequency;
import dev.gazette.subscriber.ReaderEdits;
import dev.gazette.subscriber.Subscriber;
import dev.gazette.subscriber.SubscriberDirectory;
import dev.gazette.subscriber.SubscribersConfig;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Readers changed by hand in the editor UI: a reader's name, topics, frequency and time zone edited on their behalf, and
 * a reader added by hand with how they gave consent. The rules and the history entries are {@link ReaderEdits}'.
 */
@Path("/admin/subscribers")
@Produces(MediaType.TEXT_HTML)
public class ReaderEditPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance edit(AdminChrome chrome, Subscriber s, ReaderForm form, List<Topic> topics,
                List<Frequency> frequencies, Map<String, String> errors);

        static native TemplateInstance add(AdminChrome chrome, ReaderForm form, List<Topic> topics, List<Frequency> frequencies, List<ReaderEdits.ConsentMethod> methods, Map<String, String> errors,
                Long existingId);
    }

    /** The form as typed, kept when it comes back with errors. */
    public record ReaderForm(String email, String name, boolean allTopics, List<String> topics, String frequency,
            String timezone, String consentMethod, String consentNote, boolean confirmed) {

        ReaderEdits.Edit edit() {
            return new ReaderEdits.Edit(name, allTopics, topics, frequency, timezone);
        }
    }

    private static final List<Frequency> FREQUENCIES = Arrays.asList(Frequency.values());

    private final AdminContext context;
    private final ReaderEdits edits;
    private final SubscriberDirectory directory;
    private final TopicService topics;
    private final SubscribersConfig config;

    ReaderEditPages(AdminContext context, ReaderEdits edits, SubscriberDirectory directory, TopicService topics,
            SubscribersConfig config) {
        this.context = context;
        this.edits = edits;
        this.directory = directory;
        this.topics = topics;
        this.config = config;
    }

    private AdminChrome chrome() {
        return context.chrome(SubscriberPages.SECTION);
    }

    // ---- edit

    @GET
    @Path("/{id: \\d+}/edit")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance editForm(@PathParam("id") long id) {
        Subscriber s = find(id);
        ReaderForm form = new ReaderForm(s.email, s.name == null ? "" : s.name, s.allTopics,
                s.topics.stream().map(t -> t.slug).toList(), s.frequency.name(), s.timezone, null, null, false);
        return Templates.edit(chrome(), s, form, topics.list(), FREQUENCIES, Map.of());
    }

    /** Saves the reader's preferences; the reader's history records what changed and who changed it. */
    @POST
    @Path("/{id: \\d+}/edit")
    @RolesAllowed(Roles.EDITOR)
    public Response edit(@PathParam("id") long id, @RestForm String name, @RestForm String allTopics,
            @RestForm("topics") List<String> topicSlugs, @RestForm String frequency, @RestForm String timezone) {
        Subscriber s = find(id);
        ReaderForm form = new ReaderForm(s.email, name, checked(allTopics), topicSlugs == null ? List.of() : topicSlugs,
                frequency, timezone, null, null, false);
        try {
            edits.edit(id, form.edit(), context.username());
        } catch (ProblemException e) {
            return Response.status(e.status()).entity(Templates.edit(chrome(), s, form, topics.list(), FREQUENCIES,
                    FieldErrors.of(e, "form"))).build();
        }
        return Response.seeOther(URI.create("/admin/subscribers/" + id + "?notice=edited")).build();
    }

    // ---- add by hand

    @GET
    @Path("/new")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance addForm() {
        ReaderForm form = new ReaderForm("", "", true, List.of(), config.defaultFrequency().name(), config.defaultTimezone(),
                "", "", false);
        return add(form, Map.of(), null);
    }

    /** Adds a reader: pending with a confirmation mail, or active at once when the editor attests their consent. */
    @POST
    @Path("/new")
    @RolesAllowed(Roles.EDITOR)
    public Response add(@RestForm String email, @RestForm String name, @RestForm String allTopics,
            @RestForm("topics") List<String> topicSlugs, @RestForm String frequency, @RestForm String timezone,
            @RestForm String consentMethod, @RestForm String consentNote, @RestForm String confirmation) {
        ReaderForm form = new ReaderForm(email, name, checked(allTopics), topicSlugs == null ? List.of() : topicSlugs,
                frequency, timezone, consentMethod, consentNote, "confirmed".equals(confirmation));
        Subscriber added;
        try {
            added = edits.add(new ReaderEdits.Addition(email, form.edit(), consentMethod, consentNote, form.confirmed()),
                    context.username());
        } catch (ReaderEdits.AlreadyKnown e) {
            return Response.status(409).entity(add(form, FieldErrors.of(e, "form"), e.subscriberId())).build();
        } catch (ProblemException e) {
            return Response.status(e.status()).entity(add(form, FieldErrors.of(e, "form"), null)).build();
        }
        return Response.seeOther(URI.create("/admin/subscribers/" + added.id + "?notice="
                + (form.confirmed() ? "added" : "added-pending"))).build();
    }

    private TemplateInstance add(ReaderForm form, Map<String, String> errors, Long existingId) {
        return Templates.add(chrome(), form, topics.list(), FREQUENCIES,
                Arrays.asList(ReaderEdits.ConsentMethod.values()), errors, existingId);
    }

    private Subscriber find(long id) {
        return directory.find(id).orElseThrow(() -> ProblemException.notFound("Subscriber " + id));
    }

    private static boolean checked(String value) {
        return value != null && !value.isBlank() && !"false".equals(value);
    }
}
