package dev.gazette.admin.web;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;

import dev.gazette.article.Topic;
import dev.gazette.article.TopicService;
import dev.gazette.common.error.ProblemException;
import dev.gazette.common.security.Roles;
import dev.gazette.social.Channel;
import dev.gazette.social.ChannelInput;
import dev.gazette.social.ChannelService;
import dev.gazette.social.ChannelStatus;
import dev.gazette.social.Connectors;
import dev.gazette.social.Distribution;
import dev.gazette.social.DistributionService;
import dev.gazette.social.Network;
import dev.gazette.social.SocialConfig;
import dev.gazette.social.spi.Connector;
import dev.gazette.social.spi.CredentialField;
import dev.gazette.social.spi.Verification;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Editor pages of the social channels: the list with each channel's state, the add/edit form with write-only
 * credentials (the fields depend on the network), the credentials check, and the channel's recent posts with retry.
 * Everything goes through {@link ChannelService} and {@link DistributionService}, as the API does.
 */
@Path("/admin/channels")
@Produces(MediaType.TEXT_HTML)
public class ChannelPages {

    private static final int RECENT_POSTS = 20;
    private static final String CREDENTIALS = "credentials.";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance channels(AdminChrome chrome, List<ChannelRow> channels, FediverseChannel.Row fediverse);

        static native TemplateInstance channel(AdminChrome chrome, ChannelForm form, NetworkInfo network,
                List<NetworkInfo> networks, List<Topic> topics, Map<String, String> errors, List<String> otherErrors,
                String notice, VerifyResult verification, ChannelRow current, List<PostRow> posts, String defaultTemplate);
    }

    /** A channel as the list shows it. */
    public record ChannelRow(long id, String name, Network network, String networkLabel, ChannelStatus status, String reason,
            String accountName, Instant verified, String where) {

        /** The status in words. */
        public String statusLabel() {
            return switch (status) {
                case ACTIVE -> "Active";
                case UNVERIFIED -> "Not verified";
                case NEEDS_REAUTH -> "Needs new credentials";
                case PAUSED -> "Paused";
                case DISABLED -> "Disabled";
            };
        }

        /** Whether the channel's posts wait for the editor (new credentials, or a check that succeeds). */
        public boolean needsCredentials() {
            return status == ChannelStatus.NEEDS_REAUTH || status == ChannelStatus.UNVERIFIED;
        }
    }

    /** A credential input of the form: write-only, with whether a value is stored. */
    public record CredentialInput(String name, String key, String id, boolean required, String description, boolean set) {

        /** The field name in words: {@code accessTokenSecret} → "Access token secret". */
        public String label() {
            String words = name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT)
                    .replaceAll("\\burl\\b", "URL");
            return Character.toUpperCase(words.charAt(0)) + words.substring(1);
        }
    }

    /** The fields a network's channels have. */
    public record NetworkInfo(Network network, String label, boolean usesBaseUrl, String defaultBaseUrl, String baseUrlHint,
            boolean usesAccount, String accountHint, List<CredentialInput> credentials) {
    }

    /** The form as typed (credentials excepted: they are never shown back). */
    public record ChannelForm(Long id, Network network, String name, String baseUrl, String account, String template,
            boolean autoPost, List<String> topics, String delayMinutes, String postFrom, String postUntil, String timeZone,
            boolean announceDigests, String status, String statusWas) {

        static ChannelForm blank(Network network) {
            return new ChannelForm(null, network, "", "", "", "", true, List.of(), "0", "", "", "UTC", false,
                    ChannelStatus.ACTIVE.name(), ChannelStatus.ACTIVE.name());
        }

        static ChannelForm of(Channel c) {
            return new ChannelForm(c.id, c.network, c.name, c.baseUrl == null ? "" : c.baseUrl, c.account == null ? "" : c.account,
                    c.template == null ? "" : c.template, c.autoPost, c.topics.stream().map(t -> t.slug).toList(),
                    Integer.toString(c.delayMinutes), c.postFrom == null ? "" : c.postFrom.toString(),
                    c.postUntil == null ? "" : c.postUntil.toString(), c.timeZone, c.announceDigests, c.status.name(),
                    c.status.name());
        }

        /** Whether the channel is in a state the network or the publisher set (a pause, refused credentials). */
        public boolean heldByNetwork() {
            return ChannelStatus.PAUSED.name().equals(statusWas) || ChannelStatus.NEEDS_REAUTH.name().equals(statusWas)
                    || ChannelStatus.UNVERIFIED.name().equals(statusWas);
        }
    }

    /** The answer of a credentials check, in words. */
    public record VerifyResult(boolean ok, String text) {
    }

    /** One of the channel's posts. */
    public record PostRow(Distribution post, String article, Instant when, boolean retryable, String waitingFor) {
    }

    private final AdminContext context;
    private final ChannelService channels;
    private final Connectors connectors;
    private final DistributionService distributions;
    private final TopicService topics;
    private final SocialConfig social;
    private final Validator validator;
    private final FediverseChannel fediverse;

    ChannelPages(AdminContext context, ChannelService channels, Connectors connectors, DistributionService distributions,
            TopicService topics, SocialConfig social, Validator validator, FediverseChannel fediverse) {
        this.context = context;
        this.channels = channels;
        this.connectors = connectors;
        this.distributions = distributions;
        this.topics = topics;
        this.social = social;
        this.validator = validator;
        this.fediverse = fediverse;
    }

    // ---- list

    @GET
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance list() {
        return Templates.channels(context.chrome("channels"), channels.list().stream().map(this::row).toList(), fediverse.row());
    }

    /**
     * The channels whose posts wait for an editor: credentials refused or not yet accepted, or paused without an end
     * (a template to fix). A pause the network set ends by itself and is left out.
     */
    List<ChannelRow> needingAttention() {
        return channels.list().stream().filter(c -> c.status == ChannelStatus.NEEDS_REAUTH || c.status == ChannelStatus.UNVERIFIED
                || c.status == ChannelStatus.PAUSED && c.pausedUntil == null).map(this::row).toList();
    }

    ChannelRow row(Channel c) {
        String reason = switch (c.status) {
            case PAUSED -> (c.pausedUntil == null ? "" : "until " + context.when(c.pausedUntil))
                    + (c.statusReason == null ? "" : (c.pausedUntil == null ? "" : ": ") + c.statusReason);
            case NEEDS_REAUTH -> c.statusReason == null ? "Give new credentials below." : c.statusReason;
            default -> c.statusReason;
        };
        String where = c.account != null ? c.account : c.baseUrl;
        return new ChannelRow(c.id, c.name, c.network, label(c.network), c.status, reason == null || reason.isBlank() ? null : reason,
                c.accountName, c.verifiedAt, where);
    }

    // ---- add

    @GET
    @Path("/new")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance newChannel(@QueryParam("network") String network) {
        Network chosen = parseNetwork(network);
        if (chosen == null || connectors.find(chosen).isEmpty()) {
            chosen = networks().get(0).network();
        }
        return page(ChannelForm.blank(chosen), null, Map.of(), List.of(), null, null);
    }

    @POST
    @RolesAllowed(Roles.EDITOR)
    public Response create(@RestForm String network, @RestForm String name, @RestForm String baseUrl, @RestForm String account,
            @RestForm String template, @RestForm String autoPost, @RestForm List<String> topic, @RestForm String delayMinutes,
            @RestForm String postFrom, @RestForm String postUntil, @RestForm String timeZone, @RestForm String announceDigests,
            @RestForm String status) {
        Network chosen = parseNetwork(network);
        ChannelForm form = new ChannelForm(null, chosen, name, baseUrl, account, template, autoPost != null,
                topic == null ? List.of() : topic, delayMinutes, postFrom, postUntil, timeZone, announceDigests != null,
                status, ChannelStatus.ACTIVE.name());
        if (chosen == null || connectors.find(chosen).isEmpty()) {
            ChannelForm again = new ChannelForm(null, networks().get(0).network(), name, baseUrl, account, template,
                    form.autoPost(), form.topics(), delayMinutes, postFrom, postUntil, timeZone, form.announceDigests(), status,
                    form.statusWas());
            return invalid(again, null, Map.of("network", "choose one of the networks listed"));
        }
        Map<String, String> errors = new LinkedHashMap<>();
        ChannelInput input = input(form, connectors.get(chosen), null, errors);
        if (!errors.isEmpty()) {
            return invalid(form, null, errors);
        }
        Channel created;
        try {
            created = channels.createToVerify(input);
            if (ChannelStatus.DISABLED.name().equals(status)) {
                // a new channel starts waiting for its check: disable it straight away when asked to
                channels.update(created.id, statusOnly(ChannelStatus.DISABLED));
                return Response.seeOther(URI.create("/admin/channels/" + created.id + "?notice=created")).build();
            }
        } catch (ProblemException e) {
            return invalid(form, null, FieldErrors.of(e, "form"));
        }
        return Response.seeOther(URI.create("/admin/channels/" + created.id + "?notice=created-" + outcome(channels.verify(created.id))))
                .build();
    }

    // ---- edit

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance edit(@PathParam("id") long id, @QueryParam("notice") String notice) {
        Channel c = channels.get(id);
        return page(ChannelForm.of(c), c, Map.of(), List.of(), noticeText(notice), null);
    }

    @POST
    @Path("/{id}")
    @RolesAllowed(Roles.EDITOR)
    public Response update(@PathParam("id") long id, @RestForm String name, @RestForm String baseUrl, @RestForm String account,
            @RestForm String template, @RestForm String autoPost, @RestForm List<String> topic, @RestForm String delayMinutes,
            @RestForm String postFrom, @RestForm String postUntil, @RestForm String timeZone, @RestForm String announceDigests,
            @RestForm String status, @RestForm String statusWas) {
        Channel c = channels.get(id);
        ChannelForm form = new ChannelForm(id, c.network, name, baseUrl, account, template, autoPost != null,
                topic == null ? List.of() : topic, delayMinutes, postFrom, postUntil, timeZone, announceDigests != null,
                status, statusWas == null ? c.status.name() : statusWas);
        Map<String, String> errors = new LinkedHashMap<>();
        ChannelInput input = input(form, connectors.get(c.network), form.statusWas(), errors);
        if (!errors.isEmpty()) {
            return invalid(form, c, errors);
        }
        Channel saved;
        try {
            saved = channels.updateToVerify(id, input);
        } catch (ProblemException e) {
            return invalid(form, channels.get(id), FieldErrors.of(e, "form"));
        }
        // new credentials are checked at once; the channel posts again only once the network accepts them
        String notice = saved.status == ChannelStatus.UNVERIFIED ? "saved-" + outcome(channels.verify(id)) : "saved";
        return Response.seeOther(URI.create("/admin/channels/" + id + "?notice=" + notice)).build();
    }

    private static String outcome(Verification v) {
        return v.ok() ? "verified" : v.authProblem() ? "refused" : "unanswered";
    }

    /** Checks the credentials with the network and shows its answer (a refusal also marks the channel NEEDS_REAUTH). */
    @POST
    @Path("/{id}/verify")
    @RolesAllowed(Roles.EDITOR)
    public TemplateInstance verify(@PathParam("id") long id) {
        Verification v = channels.verify(id);
        VerifyResult result;
        if (v.ok()) {
            result = new VerifyResult(true, "The credentials work: they belong to " + v.detail() + ".");
        } else if (v.authProblem()) {
            result = new VerifyResult(false, "The network refused the credentials: " + v.detail());
        } else {
            result = new VerifyResult(false, "The check did not get an answer: " + v.detail());
        }
        Channel c = channels.get(id);
        return page(ChannelForm.of(c), c, Map.of(), List.of(), null, result);
    }

    /** Posts one of the channel's failed, unconfirmed or cancelled posts again. */
    @POST
    @Path("/{id}/posts/{post}/retry")
    @RolesAllowed(Roles.EDITOR)
    public Response retry(@PathParam("id") long id, @PathParam("post") long post) {
        Distribution d = distributions.get(post);
        if (d.channelId != id) {
            throw ProblemException.notFound("Post " + post + " of channel " + id);
        }
        try {
            distributions.retry(post, false);
        } catch (ProblemException e) {
            Channel c = channels.get(id);
            return Response.status(e.status()).entity(page(ChannelForm.of(c), c, Map.of(), List.of(e.getMessage()), null, null))
                    .build();
        }
        return Response.seeOther(URI.create("/admin/channels/" + id + "?notice=retried#posts")).build();
    }

    // ---- the form

    private ChannelInput input(ChannelForm form, Connector connector, String statusWas, Map<String, String> errors) {
        NetworkInfo info = info(connector, Set.of());
        Map<String, String> credentials = new TreeMap<>();
        for (CredentialInput field : info.credentials()) {
            Object value = CurrentRequestManager.get().getFormParameter(field.key(), true, false);
            if (value instanceof String s && !s.isBlank()) {
                credentials.put(field.name(), s); // an empty field keeps the stored value
            }
        }
        Integer delay = null;
        String delayText = form.delayMinutes() == null ? "" : form.delayMinutes().strip();
        if (delayText.isEmpty()) {
            delay = 0;
        } else {
            try {
                delay = Integer.valueOf(delayText);
            } catch (NumberFormatException e) {
                errors.put("delayMinutes", "must be a whole number of minutes");
            }
        }
        ChannelStatus status = null;
        if (form.status() != null && !form.status().equals(statusWas)) {
            try {
                status = ChannelStatus.valueOf(form.status());
            } catch (IllegalArgumentException e) {
                errors.put("status", "choose Active or Disabled");
            }
            if (statusWas == null) {
                status = null; // a new channel starts active; create() disables it afterwards when asked
            }
        }
        String postFrom = hourOrNull(form.postFrom());
        String postUntil = hourOrNull(form.postUntil());
        ChannelInput input = new ChannelInput(form.id() == null ? form.network() : null, form.name() == null ? "" : form.name(),
                info.usesBaseUrl() ? nullToEmpty(form.baseUrl()) : null, info.usesAccount() ? nullToEmpty(form.account()) : null,
                credentials, nullToEmpty(form.template()), form.autoPost(), form.topics(), delay, postFrom, postUntil,
                form.timeZone() == null || form.timeZone().isBlank() ? "UTC" : form.timeZone(), form.announceDigests(), status);
        // the API's own checks of the input (sizes, HH:mm, delay range); an empty time clears the posting hours
        ChannelInput checked = new ChannelInput(input.network(), input.name(), input.baseUrl(), input.account(), input.credentials(),
                input.template(), input.autoPost(), input.topics(), input.delayMinutes(),
                postFrom == null || postFrom.isEmpty() ? null : postFrom, postUntil == null || postUntil.isEmpty() ? null : postUntil,
                input.timeZone(), input.announceDigests(), input.status());
        for (ConstraintViolation<ChannelInput> v : validator.validate(checked)) {
            String field = v.getPropertyPath().toString();
            errors.merge(field.startsWith("credentials") ? "form" : field, v.getMessage(), (x, y) -> x + "; " + y);
        }
        if (form.name() == null || form.name().isBlank()) {
            errors.put("name", "must not be blank");
        }
        return input;
    }

    /** A time input's value as the API takes it (HH:mm); empty clears. */
    private static String hourOrNull(String value) {
        if (value == null || value.isBlank()) {
            return "";
        }
        String v = value.strip();
        return v.matches("\\d\\d:\\d\\d:\\d\\d") ? v.substring(0, 5) : v;
    }

    private static ChannelInput statusOnly(ChannelStatus status) {
        return new ChannelInput(null, null, null, null, null, null, null, null, null, null, null, null, null, status);
    }


    private Response invalid(ChannelForm form, Channel current, Map<String, String> errors) {
        NetworkInfo info = info(connectors.get(form.network()), Set.of());
        Set<String> shown = new java.util.HashSet<>(List.of("name", "template", "autoPost", "topics", "delayMinutes", "postFrom",
                "postUntil", "timeZone", "announceDigests", "status", "network"));
        if (info.usesBaseUrl()) {
            shown.add("baseUrl");
        }
        if (info.usesAccount()) {
            shown.add("account");
        }
        info.credentials().forEach(f -> shown.add(f.key()));
        List<String> other = new ArrayList<>();
        errors.forEach((field, message) -> {
            if (!shown.contains(field)) {
                other.add("form".equals(field) ? message : field + " " + message);
            }
        });
        return Response.status(400).entity(page(form, current, errors, other, null, null)).build();
    }

    private TemplateInstance page(ChannelForm form, Channel current, Map<String, String> errors, List<String> otherErrors,
            String notice, VerifyResult verification) {
        Connector connector = connectors.get(form.network());
        NetworkInfo info = info(connector, current == null ? Set.of() : channels.credentialNames(current));
        List<PostRow> posts = current == null ? List.of() : posts(current.id);
        return Templates.channel(context.chrome("channels"), form, info, networks(), topics.list(), errors, otherErrors, notice,
                verification, current == null ? null : row(current), posts, social.defaultTemplate());
    }

    private List<PostRow> posts(long channelId) {
        List<PostRow> rows = new ArrayList<>();
        for (DistributionService.Described post : distributions.describe(distributions.list(
                new DistributionService.Filter(null, null, channelId, null), null, RECENT_POSTS))) {
            Distribution d = post.post();
            Instant at = d.publishedAt != null ? d.publishedAt : d.notBefore;
            rows.add(new PostRow(d, post.subject(), at, switch (d.status) {
                case FAILED, UNCONFIRMED, CANCELLED -> true;
                default -> false;
            }, post.waitingFor()));
        }
        return rows;
    }

    private List<NetworkInfo> networks() {
        return Arrays.stream(Network.values()).filter(n -> connectors.find(n).isPresent())
                .map(n -> info(connectors.get(n), Set.of())).toList();
    }

    private static NetworkInfo info(Connector connector, Set<String> stored) {
        Network n = connector.network();
        List<CredentialInput> credentials = new ArrayList<>();
        for (CredentialField f : connector.credentialFields()) {
            credentials.add(new CredentialInput(f.name(), CREDENTIALS + f.name(), "credential-" + f.name(), f.required(),
                    f.description(), stored.contains(f.name())));
        }
        String base = connector.defaultBaseUrl().orElse(null);
        String baseHint = connector.baseUrlHint().orElse("The network's address for this channel.");
        if (base != null) {
            baseHint = baseHint + " Default: " + base + ".";
        }
        return new NetworkInfo(n, connector.label(), connector.usesBaseUrl(), base, baseHint, connector.accountHint().isPresent(),
                connector.accountHint().orElse(null), credentials);
    }

    private String label(Network n) {
        return connectors.find(n).map(Connector::label).orElse(n.name());
    }

    private static Network parseNetwork(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Network.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String noticeText(String notice) {
        if (notice == null) {
            return null;
        }
        return switch (notice) {
            case "created" -> "Channel added.";
            case "created-verified" -> "Channel added: the network accepted its credentials, and it posts from now on.";
            case "created-refused" -> "Channel added, but the network refused its credentials: give new ones below."
                    + " Nothing is posted until it accepts them.";
            case "created-unanswered" -> "Channel added, but the network did not answer the check of its credentials."
                    + " Nothing is posted until it does: use Verify credentials once it is reachable.";
            case "saved" -> "Saved.";
            case "saved-verified" -> "Saved: the network accepted the new credentials, and the channel posts.";
            case "saved-refused" -> "Saved, but the network refused the new credentials: give others below. Nothing is"
                    + " posted until it accepts them.";
            case "saved-unanswered" -> "Saved, but the network did not answer the check of the new credentials. Nothing"
                    + " is posted until it does: use Verify credentials once it is reachable.";
            case "retried" -> "The post is queued again.";
            default -> null;
        };
    }
}
