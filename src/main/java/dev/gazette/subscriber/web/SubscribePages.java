package dev.gazette.subscriber.web;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import dev.gazette.article.Topic;
import dev.gazette.article.TopicService;
import dev.gazette.common.error.Problem;
import dev.gazette.common.error.ProblemException;
import dev.gazette.common.web.Site;
import dev.gazette.common.web.SiteChrome;
import dev.gazette.subscriber.Frequency;
import dev.gazette.subscriber.PrivacyService;
import dev.gazette.subscriber.Subscriber;
import dev.gazette.subscriber.SubscriberLinks;
import dev.gazette.subscriber.SubscribersConfig;
import dev.gazette.subscriber.SubscriptionService;
import dev.gazette.subscriber.SubscriptionService.LinkState;
import dev.gazette.subscriber.SubscriptionService.SubscribeRequest;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;

/**
 * The reader's side: subscribe, confirm, preferences and unsubscribe pages. Confirmation and unsubscribe links show a
 * button on GET (mail scanners follow links) and act on POST; {@code POST /u/{token}} is RFC 8058 one-click.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML + ";charset=UTF-8")
public class SubscribePages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance subscribe(Site site, List<TopicChoice> topics, String email, String name,
                Map<String, String> errors, String consent, Map<String, String> hidden);

        static native TemplateInstance notice(Site site, String title, String text, String linkUrl, String linkLabel);

        static native TemplateInstance confirm(Site site, String action);

        static native TemplateInstance preferences(Site site, String action, String email, String name,
                boolean allTopics, List<TopicChoice> topics, String frequency, String timezone, List<String> timezones,
                Map<String, String> errors, String saved, String exportUrl, String pausedUntil);

        static native TemplateInstance unsubscribe(Site site, String action);
    }

    /** A topic checkbox. */
    public record TopicChoice(String slug, String name, boolean checked) {
    }

    private static final List<String> TIMEZONES = java.time.ZoneId.getAvailableZoneIds().stream()
            .filter(z -> z.contains("/") && !z.startsWith("Etc/") && !z.startsWith("SystemV/")).sorted().toList();

    private final SubscriptionService subscriptions;
    private final PrivacyService privacy;
    private final SubscribeRateLimiter limiter;
    private final SubscriberLinks links;
    private final TopicService topics;
    private final SiteChrome chrome;
    private final SubscribersConfig config;

    SubscribePages(SubscriptionService subscriptions, PrivacyService privacy, SubscribeRateLimiter limiter, SubscriberLinks links,
            TopicService topics, SiteChrome chrome, SubscribersConfig config) {
        this.subscriptions = subscriptions;
        this.privacy = privacy;
        this.limiter = limiter;
        this.links = links;
        this.topics = topics;
        this.chrome = chrome;
        this.config = config;
    }

    @GET
    @Path("subscribe")
    public TemplateInstance form() {
        return Templates.subscribe(chrome.site(), choices(List.of(), true), "", "", Map.of(), config.consentText(), Map.of());
    }

    @POST
    @Path("subscribe")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response subscribeForm(MultivaluedMap<String, String> form, HttpServerRequest http) {
        SubscribeRequest request = new SubscribeRequest(form.getFirst("email"), form.getFirst("name"), form.get("topics"),
                form.getFirst("frequency"), form.getFirst("timezone"), subscriptions.visitorHash(clientIp(http)), form.getFirst("ref"),
                form.getFirst("utm_source"), form.getFirst("utm_medium"), form.getFirst("utm_campaign"), form.getFirst("page"));
        if (isFilled(form.getFirst("website"))) {
            return checkInbox(); // a bot filled the honeypot: same answer, nothing done
        }
        try {
            if (!subscribe(request)) {
                return notice(429, "Too many attempts", "Please wait a little and try again.", null, null);
            }
            return checkInbox();
        } catch (ProblemException e) {
            if (e.violations() == null) {
                throw e;
            }
            Map<String, String> errors = errors(e);
            List<String> chosen = form.get("topics") == null ? List.of() : form.get("topics");
            return Response.status(400).entity(Templates.subscribe(chrome.site(), choices(chosen, chosen.isEmpty()),
                    String.valueOf(form.getFirst("email") == null ? "" : form.getFirst("email")),
                    form.getFirst("name") == null ? "" : form.getFirst("name"), errors, config.consentText(),
                    hidden(request))).build();
        }
    }

    /** JSON body of {@code POST /subscribe}. */
    public record SubscribeJson(String email, String name, List<String> topics, String frequency, String timezone,
            String ref, String utm_source, String utm_medium, String utm_campaign, String page, String website) {
    }

    /** The same answer whatever the address was. */
    public record Accepted(String status, String message) {
    }

    @POST
    @Path("subscribe")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response subscribeJson(SubscribeJson body, HttpServerRequest http) {
        if (body == null) {
            throw ProblemException.invalid("email", "is required");
        }
        Accepted accepted = new Accepted("pending-confirmation",
                "If this address can be subscribed, a confirmation link is on its way.");
        if (isFilled(body.website())) {
            return Response.accepted(accepted).build();
        }
        SubscribeRequest request = new SubscribeRequest(body.email(), body.name(), body.topics(), body.frequency(),
                body.timezone(), subscriptions.visitorHash(clientIp(http)), body.ref(), body.utm_source(), body.utm_medium(), body.utm_campaign(),
                body.page());
        if (!subscribe(request)) {
            throw new ProblemException(429, "Too Many Requests", "Too many attempts; try again later.");
        }
        return Response.accepted(accepted).build();
    }

    /** Validates (naming bad fields), takes one attempt from the visitor's and the address's limits, subscribes. */
    private boolean subscribe(SubscribeRequest request) {
        SubscriptionService.Normalised input = subscriptions.validate(request);
        if (!limiter.tryAcquire(String.valueOf(request.visitorHash()), input.key())) {
            return false;
        }
        subscriptions.subscribe(input, request);
        return true;
    }

    @GET
    @Path("confirm/{token}")
    public Response confirmPage(@PathParam("token") String token) {
        LinkState state = subscriptions.checkConfirmation(token);
        if (state != LinkState.VALID) {
            return linkProblem(state, "confirmation");
        }
        return Response.ok(Templates.confirm(chrome.site(), "/confirm/" + token)).build();
    }

    @POST
    @Path("confirm/{token}")
    @Consumes(MediaType.WILDCARD)
    public Response confirm(@PathParam("token") String token) {
        SubscriptionService.Confirmation confirmation = subscriptions.confirm(token);
        if (confirmation.state() != LinkState.VALID) {
            return linkProblem(confirmation.state(), "confirmation");
        }
        return notice(200, "You're subscribed", "Thank you: your subscription is confirmed.",
                links.preferencesUrl(confirmation.subscriberId()), "Choose your topics and how often you hear from us");
    }

    @GET
    @Path("preferences/{token}")
    public Response preferences(@PathParam("token") String token) {
        return subscriptions.forPreferences(token)
                .map(s -> Response.ok(preferencesPage(token, s, Map.of(), null)).build())
                .orElseGet(() -> linkProblem(subscriptions.preferencesLinkState(token), "preferences"));
    }

    @POST
    @Path("preferences/{token}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response savePreferences(@PathParam("token") String token, MultivaluedMap<String, String> form) {
        Subscriber s = subscriptions.forPreferences(token).orElse(null);
        if (s == null) {
            return linkProblem(subscriptions.preferencesLinkState(token), "preferences");
        }
        if ("unsubscribe".equals(form.getFirst("action"))) {
            subscriptions.unsubscribe(s.id, "preferences page");
            return notice(200, "You're unsubscribed", "You will not receive any more newsletters from us.", null, null);
        }
        int pause;
        try {
            pause = form.getFirst("pauseWeeks") == null || form.getFirst("pauseWeeks").isBlank() ? 0
                    : Integer.parseInt(form.getFirst("pauseWeeks").trim());
        } catch (NumberFormatException e) {
            pause = -1;
        }
        Frequency frequency;
        try {
            frequency = Frequency.valueOf(String.valueOf(form.getFirst("frequency")).toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            frequency = null;
        }
        boolean all = "all".equals(form.getFirst("scope"));
        try {
            Subscriber saved = subscriptions.updatePreferences(s.id, new SubscriptionService.Preferences(form.getFirst("name"),
                    form.get("topics"), all, frequency, form.getFirst("timezone"), pause));
            return Response.ok(preferencesPage(token, saved, Map.of(), "Your preferences are saved.")).build();
        } catch (ProblemException e) {
            if (e.violations() == null) {
                throw e;
            }
            return Response.status(400).entity(preferencesPage(token, s, errors(e), null)).build();
        }
    }

    @GET
    @Path("preferences/{token}/export")
    @Produces(MediaType.APPLICATION_JSON)
    public Response export(@PathParam("token") String token) {
        Subscriber s = subscriptions.forPreferences(token)
                .orElseThrow(() -> new ProblemException(404, "Not Found", "This link is not valid any more."));
        return Response.ok(privacy.export(s.id))
                .header("Content-Disposition", "attachment; filename=\"my-subscription-data.json\"")
                .header("Cache-Control", "private, no-store").build();
    }

    @GET
    @Path("u/{token}")
    public Response unsubscribePage(@PathParam("token") String token) {
        LinkState state = subscriptions.checkUnsubscribe(token);
        if (state != LinkState.VALID) {
            return linkProblem(state, "unsubscribe");
        }
        return Response.ok(Templates.unsubscribe(chrome.site(), "/u/" + token)).build();
    }

    /**
     * RFC 8058 one-click, answered by {@link OneClickUnsubscribe} before any body is read: the token alone decides, no
     * cookie, 200 without redirect.
     */
    Response unsubscribe(String token) {
        LinkState state = subscriptions.unsubscribe(token);
        if (state != LinkState.VALID) {
            return linkProblem(state, "unsubscribe");
        }
        return notice(200, "You're unsubscribed", "You will not receive any more newsletters from us.", null, null);
    }

    private TemplateInstance preferencesPage(String token, Subscriber s, Map<String, String> errors, String saved) {
        List<String> chosen = s.topics.stream().map(t -> t.slug).toList();
        return Templates.preferences(chrome.site(), "/preferences/" + token, s.email, s.name == null ? "" : s.name,
                s.allTopics, choices(chosen, false), s.frequency.name().toLowerCase(java.util.Locale.ROOT), s.timezone,
                TIMEZONES, errors, saved, "/preferences/" + token + "/export",
                s.pausedUntil == null ? null : s.pausedUntil.toString().substring(0, 10));
    }

    private List<TopicChoice> choices(List<String> chosen, boolean allChecked) {
        return topics.list().stream().map((Topic t) -> new TopicChoice(t.slug, t.name, allChecked || chosen.contains(t.slug)))
                .toList();
    }

    private Response checkInbox() {
        return notice(200, "Check your inbox",
                "If this address can be subscribed, we have sent it a link to confirm. Nothing is sent until you click it.",
                null, null);
    }

    private Response linkProblem(LinkState state, String kind) {
        return switch (state) {
            case EXPIRED -> notice(410, "This link has expired",
                    "confirmation".equals(kind) ? "Confirmation links work for a few days. Subscribe again to get a new one."
                            : "Use the link in a more recent email from us.", "/subscribe", "Subscribe again");
            case USED -> notice(410, "Already confirmed", "This subscription is already confirmed; there is nothing more to do.",
                    "/", "Go to the front page");
            case GONE -> notice(404, "Subscription not found", "This subscription no longer exists.", "/subscribe",
                    "Subscribe again");
            default -> notice(400, "This link is not valid",
                    "The link may have been cut or changed. Copy the whole address from the email.", "/", "Go to the front page");
        };
    }

    private Response notice(int status, String title, String text, String linkUrl, String linkLabel) {
        return Response.status(status).entity(Templates.notice(chrome.site(), title, text, linkUrl, linkLabel))
                .header("Cache-Control", "private, no-store").build();
    }

    /** Each invalid field's message, to show next to the field. */
    private static Map<String, String> errors(ProblemException e) {
        return e.violations().stream()
                .collect(Collectors.toMap(Problem.Violation::field, Problem.Violation::message, (a, b) -> a));
    }

    private static Map<String, String> hidden(SubscribeRequest r) {
        Map<String, String> hidden = new java.util.LinkedHashMap<>();
        putIfPresent(hidden, "ref", r.ref());
        putIfPresent(hidden, "utm_source", r.utmSource());
        putIfPresent(hidden, "utm_medium", r.utmMedium());
        putIfPresent(hidden, "utm_campaign", r.utmCampaign());
        putIfPresent(hidden, "page", r.page());
        putIfPresent(hidden, "timezone", r.timezone());
        return hidden;
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null && !value.isBlank() && value.length() <= 2000) {
            map.put(key, value);
        }
    }

    private static boolean isFilled(String value) {
        return value != null && !value.isBlank();
    }

    static String clientIp(HttpServerRequest http) {
        return http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
    }
}
