package dev.gazette.subscriber.api;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import dev.gazette.subscriber.PrivacyService;
import dev.gazette.subscriber.ReaderEdits;
import dev.gazette.subscriber.Subscriber;
import dev.gazette.subscriber.SubscriberDirectory;
import dev.gazette.subscriber.SubscriberStatus;
import dev.gazette.subscriber.SubscriptionService;
import dev.gazette.subscriber.api.SubscriberViews.SubscriberView;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Readers for editors: search, counts, one reader with history, readers added and edited by hand, privacy export and
 * erasure.
 */
@Path("/api/v1/subscribers")
@Tag(name = "Subscribers")
@SecurityRequirement(name = "apiToken")
@RolesAllowed(Roles.EDITOR)
public class SubscriberResource {

    private final SubscriberDirectory directory;
    private final SubscriptionService subscriptions;
    private final PrivacyService privacy;
    private final ReaderEdits edits;
    private final SecurityIdentity identity;

    SubscriberResource(SubscriberDirectory directory, SubscriptionService subscriptions, PrivacyService privacy,
            ReaderEdits edits, SecurityIdentity identity) {
        this.edits = edits;
        this.identity = identity;
        this.directory = directory;
        this.subscriptions = subscriptions;
        this.privacy = privacy;
    }

    /** A page of readers; pass {@code nextCursor} as {@code after} for the next. */
    public record SubscriberPage(List<SubscriberView> items, String nextCursor) {
    }

    @GET
    @Operation(summary = "Search readers", description = "Newest first, keyset-paginated.")
    public SubscriberPage search(@Parameter(description = "Start of the address") @QueryParam("email") @Size(max = 320) String email,
            @QueryParam("status") SubscriberStatus status,
            @Parameter(description = "Topic slug") @QueryParam("topic") String topic,
            @Parameter(description = "Tracked-link code, utm_source, or FORM/IMPORT/API") @QueryParam("source") @Size(max = 100) String source,
            @QueryParam("after") Long after,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        SubscriberDirectory.Page page = directory.search(new SubscriberDirectory.Filter(email, status, topic, source), after, limit);
        return new SubscriberPage(page.items().stream().map(s -> SubscriberView.of(s, null)).toList(),
                page.nextCursor() == null ? null : page.nextCursor().toString());
    }

    /** A reader added by hand: how they gave consent is required; {@code confirmed} attests it (no confirmation mail). */
    public record AddRequest(String email, String name, boolean allTopics, List<String> topics, String frequency,
            String timezone, String consentMethod, String consentNote, boolean confirmed) {
    }

    /** A reader's preferences as an editor sets them. */
    public record PreferencesRequest(String name, boolean allTopics, List<String> topics, String frequency, String timezone) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a reader by hand", description = "consentMethod: IN_PERSON, PAPER_FORM, EMAIL, PHONE or"
            + " OTHER (then consentNote is required). The reader gets the confirmation mail unless confirmed is true."
            + " A known address is a 409 naming the field email; a suppressed one too.")
    public Response add(AddRequest request) {
        if (request == null) {
            throw ProblemException.invalid("email", "is required");
        }
        Subscriber added = edits.add(new ReaderEdits.Addition(request.email(), new ReaderEdits.Edit(request.name(),
                request.allTopics(), request.topics(), request.frequency(), request.timezone()), request.consentMethod(),
                request.consentNote(), request.confirmed()), identity.getPrincipal().getName());
        return Response.created(URI.create("/api/v1/subscribers/" + added.id)).entity(get(added.id)).build();
    }

    @PUT
    @Path("/{id}/preferences")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a reader's name, topics, frequency and time zone",
            description = "Recorded in the reader's history with the editor's name.")
    public SubscriberView changePreferences(@PathParam("id") long id, PreferencesRequest request) {
        if (request == null) {
            throw ProblemException.invalid("frequency", "is required");
        }
        edits.edit(id, new ReaderEdits.Edit(request.name(), request.allTopics(), request.topics(), request.frequency(),
                request.timezone()), identity.getPrincipal().getName());
        return get(id);
    }

    @GET
    @Path("/counts")
    @Operation(summary = "Counts by status and active readers per topic")
    public Map<String, Object> counts() {
        return directory.counts();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A reader with their history")
    public SubscriberView get(@PathParam("id") long id) {
        return directory.find(id).map(s -> SubscriberView.of(s, directory.history(id)))
                .orElseThrow(() -> ProblemException.notFound("Subscriber " + id));
    }

    @GET
    @Path("/{id}/export")
    @Operation(summary = "Everything stored about a reader (privacy export)")
    public PrivacyService.Export export(@PathParam("id") long id) {
        return privacy.export(id);
    }

    @POST
    @Path("/{id}/unsubscribe")
    @Operation(summary = "Unsubscribe a reader on their behalf")
    public Response unsubscribe(@PathParam("id") long id) {
        directory.find(id).orElseThrow(() -> ProblemException.notFound("Subscriber " + id));
        subscriptions.unsubscribe(id, "by an editor");
        return Response.noContent().build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Erase a reader", description = "Deletes personal data and history; keeps a keyed hash of the"
            + " address on the suppression list so no later import adds them back.")
    public Response erase(@PathParam("id") long id) {
        privacy.erase(id);
        return Response.noContent().build();
    }
}
