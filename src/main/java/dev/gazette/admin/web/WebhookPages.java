package dev.gazette.admin.web;

import java.net.URI;
import java.util.List;
import java.util.Map;

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

import dev.gazette.common.error.ProblemException;
import dev.gazette.common.events.EventLog;
import dev.gazette.common.security.Roles;
import dev.gazette.lifecycle.WebhookDelivery;
import dev.gazette.lifecycle.WebhookEndpoint;
import dev.gazette.lifecycle.WebhookEndpointInput;
import dev.gazette.lifecycle.WebhookEndpoints;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Editor pages of the event webhooks: the endpoints with their state, the add/edit form with a write-only secret, and
 * each endpoint's delivery log with Replay and Resume. Everything goes through {@link WebhookEndpoints}, as the API
 * does.
 */
@Path("/admin/webhooks")
@Produces(MediaType.TEXT_HTML)
public class WebhookPages {

    private static final int LOG_SIZE = 50;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance webhooks(AdminChrome chrome, List<WebhookEndpoint> endpoints);

        static native TemplateInstance webhook(AdminChrome chrome, WebhookForm form, WebhookEndpoint current,
                List<String> types, Map<String, String> errors, String notice, List<WebhookDelivery> deliveries);
    }

    /** The form as typed (the secret excepted: it is never shown back). */
    public record WebhookForm(Long id, String name, String url, List<String> events, boolean active) {

        static WebhookForm of(WebhookEndpoint e) {
            return new WebhookForm(e.id, e.name, e.url, e.eventList(), e.active);
        }
    }

    private final AdminContext context;
    private final WebhookEndpoints endpoints;

    WebhookPages(AdminContext context, WebhookEndpoints endpoints) {
        this.context = context;
        this.endpoints = endpoints;
    }

    @GET
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance list() {
        return Templates.webhooks(context.chrome("webhooks"), endpoints.list());
    }

    @GET
    @Path("/new")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance newEndpoint() {
        return page(new WebhookForm(null, "", "", List.of(), true), null, Map.of(), null);
    }

    @POST
    @RolesAllowed(Roles.EDITOR)
    public Response create(@RestForm String name, @RestForm String url, @RestForm String secret, @RestForm List<String> event,
            @RestForm String active) {
        WebhookForm form = new WebhookForm(null, name, url, event == null ? List.of() : event, active != null);
        try {
            WebhookEndpoint e = endpoints.create(new WebhookEndpointInput(name, url, secret, form.events(), form.active()));
            return Response.seeOther(URI.create("/admin/webhooks/" + e.id + "?notice=created")).build();
        } catch (ProblemException e) {
            return Response.status(e.status()).entity(page(form, null, FieldErrors.of(e, "form"), null)).build();
        }
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance edit(@PathParam("id") long id, @QueryParam("notice") String notice) {
        WebhookEndpoint e = endpoints.get(id);
        return page(WebhookForm.of(e), e, Map.of(), noticeText(notice));
    }

    @POST
    @Path("/{id}")
    @RolesAllowed(Roles.EDITOR)
    public Response update(@PathParam("id") long id, @RestForm String name, @RestForm String url, @RestForm String secret,
            @RestForm List<String> event, @RestForm String active) {
        WebhookForm form = new WebhookForm(id, name, url, event == null ? List.of() : event, active != null);
        try {
            endpoints.update(id, new WebhookEndpointInput(name == null ? "" : name, url == null ? "" : url, secret,
                    form.events(), form.active()));
            return Response.seeOther(URI.create("/admin/webhooks/" + id + "?notice=saved")).build();
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw e;
            }
            return Response.status(e.status()).entity(page(form, endpoints.get(id), FieldErrors.of(e, "form"), null)).build();
        }
    }

    @POST
    @Path("/{id}/resume")
    @RolesAllowed(Roles.EDITOR)
    public Response resume(@PathParam("id") long id) {
        endpoints.resume(id);
        return Response.seeOther(URI.create("/admin/webhooks/" + id + "?notice=resumed")).build();
    }

    @POST
    @Path("/{id}/deliveries/{delivery}/replay")
    @RolesAllowed(Roles.EDITOR)
    public Response replay(@PathParam("id") long id, @PathParam("delivery") long delivery) {
        try {
            endpoints.replay(id, delivery);
        } catch (ProblemException e) {
            if (e.status() == 404) {
                throw e;
            }
            WebhookEndpoint current = endpoints.get(id);
            return Response.status(e.status()).entity(page(WebhookForm.of(current), current, Map.of("form", e.getMessage()), null))
                    .build();
        }
        return Response.seeOther(URI.create("/admin/webhooks/" + id + "?notice=replayed#deliveries")).build();
    }

    private TemplateInstance page(WebhookForm form, WebhookEndpoint current, Map<String, String> errors, String notice) {
        List<WebhookDelivery> deliveries = current == null ? List.of() : endpoints.deliveries(current.id, LOG_SIZE);
        return Templates.webhook(context.chrome("webhooks"), form, current, EventLog.TYPES, errors, notice, deliveries);
    }

    private static String noticeText(String notice) {
        if (notice == null) {
            return null;
        }
        return switch (notice) {
            case "created" -> "Endpoint added: events from now on are delivered to it.";
            case "saved" -> "Endpoint saved.";
            case "resumed" -> "Endpoint resumed: its waiting deliveries go out at the next run.";
            case "replayed" -> "Delivery queued again: it goes out at the next run, with the same delivery id.";
            default -> null;
        };
    }
}
