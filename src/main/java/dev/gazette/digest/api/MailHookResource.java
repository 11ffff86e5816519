package dev.gazette.digest.api;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.security.PermitAll;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeUtility;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.gazette.common.error.ProblemException;
import dev.gazette.digest.bounce.BounceHandler;
import dev.gazette.mail.MailConfig;
import dev.gazette.mail.bounce.BounceFormatException;
import dev.gazette.mail.bounce.BounceReport;
import dev.gazette.mail.bounce.DsnParser;
import dev.gazette.mail.bounce.WebhookParsers;
import dev.gazette.subscriber.SubscriptionService;
import io.quarkus.logging.Log;

/**
 * Where mail providers and the MTA report back: bounce and complaint webhooks (Amazon SES through SNS, Postmark, or
 * Gazette's own JSON), and raw inbound messages (RFC 3464 DSNs, ARF complaints, and mails to the List-Unsubscribe
 * mailto address). {@code mail} parses the reports; {@link BounceHandler} applies them to deliveries and readers, and
 * {@link SubscriptionService#unsubscribeByMail} handles the mailto address. Authenticated with the shared webhook secret, not an API token, since providers cannot send one.
 */
@Path("/hooks/mail")
@Tag(name = "Mail hooks")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class MailHookResource {

    private final BounceHandler bounces;
    private final SubscriptionService subscriptions;
    private final MailConfig config;

    MailHookResource(BounceHandler bounces, SubscriptionService subscriptions, MailConfig config) {
        this.bounces = bounces;
        this.subscriptions = subscriptions;
        this.config = config;
    }

    @POST
    @Path("/{provider}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Bounce and complaint notifications", description = "provider: ses (SNS notifications, text/plain), postmark, gazette or auto.")
    public Map<String, Object> webhook(@PathParam("provider") String provider, @HeaderParam("Authorization") String authorization,
            @HeaderParam("X-Gazette-Secret") String secretHeader, String body) {
        authorize(authorization, secretHeader);
        if (body == null || body.isBlank()) {
            throw ProblemException.invalid("body", "must be the provider's JSON notification");
        }
        Optional<String> subscribe = WebhookParsers.snsSubscribeUrl(body);
        if (subscribe.isPresent()) {
            // Gazette makes no request to addresses taken from a request body: the operator confirms by opening it.
            Log.warnf("Amazon SNS asks to confirm the subscription of the bounce hook: open %s", subscribe.get());
            return Map.of("subscriptionConfirmation", true);
        }
        List<BounceReport> reports;
        try {
            reports = switch (provider) {
                case "ses" -> WebhookParsers.ses(body);
                case "postmark" -> WebhookParsers.postmark(body);
                case "gazette" -> WebhookParsers.gazette(body);
                case "auto" -> WebhookParsers.parse(body);
                default -> throw ProblemException.notFound("The hook for " + provider);
            };
        } catch (BounceFormatException e) {
            throw ProblemException.invalid(e.field(), e.problem());
        }
        BounceHandler.Result result = bounces.apply(reports);
        return Map.of("reports", reports.size(), "applied", result.applied(), "unmatched", result.unmatched());
    }

    @POST
    @Path("/inbound")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "A raw inbound message from the MTA", description = "DSNs and ARF reports to the bounce address, mails to the unsubscribe address. recipient: the envelope recipient, if the MTA passes it.")
    public Map<String, Object> inbound(@QueryParam("recipient") String recipient, @HeaderParam("Authorization") String authorization,
            @HeaderParam("X-Gazette-Secret") String secretHeader, byte[] message) {
        authorize(authorization, secretHeader);
        if (message == null || message.length == 0) {
            throw ProblemException.invalid("body", "must be the message in RFC 822 format");
        }
        List<BounceReport> reports;
        try {
            reports = DsnParser.parse(new ByteArrayInputStream(message), recipient);
        } catch (BounceFormatException e) {
            throw ProblemException.invalid(e.field(), e.problem());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("body", e.getMessage());
        }
        if (!reports.isEmpty()) {
            BounceHandler.Result result = bounces.apply(reports);
            return Map.of("type", "report", "reports", reports.size(), "applied", result.applied(), "unmatched", result.unmatched());
        }
        return subscriptions.unsubscribeByMail(subject(message))
                .<Map<String, Object>>map(state -> Map.of("type", "unsubscribe", "result", state.name()))
                .orElse(Map.of("type", "ignored"));
    }

    private void authorize(String authorization, String secretHeader) {
        String secret = config.webhookSecret().filter(s -> !s.isBlank()).orElseThrow(() -> new ProblemException(503,
                "Service Unavailable", "Mail hooks are off: set GAZETTE_MAIL_WEBHOOK_SECRET to receive bounces and complaints."));
        String given = secretHeader;
        if (given == null && authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
                given = decoded.contains(":") ? decoded.substring(decoded.indexOf(':') + 1) : null;
            } catch (IllegalArgumentException e) {
                given = null;
            }
        }
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8))) {
            throw new ProblemException(401, "Unauthorized", "The webhook secret is missing or wrong.");
        }
    }

    /** The decoded Subject of a raw message (headers only, RFC 2047 words decoded), empty when it has none. */
    private static String subject(byte[] message) {
        try {
            String raw = new InternetHeaders(new ByteArrayInputStream(message)).getHeader("Subject", null);
            return raw == null ? "" : MimeUtility.decodeText(MimeUtility.unfold(raw)).strip();
        } catch (MessagingException | java.io.UnsupportedEncodingException e) {
            return "";
        }
    }
}
