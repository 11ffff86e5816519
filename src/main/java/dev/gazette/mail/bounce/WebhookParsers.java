package dev.gazette.mail.bounce;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gazette.mail.bounce.BounceReport.Kind;

/**
 * Parses bounce and complaint webhooks from Amazon SES (through SNS), Postmark and Gazette's own JSON into bounce reports.
 */
public final class WebhookParsers {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private static final Set<String> POSTMARK_HARD = Set.of("HardBounce", "BadEmailAddress");
    // Replies and notices rather than failures; Postmark files them under bounces all the same
    private static final Set<String> POSTMARK_IGNORED = Set.of("Unsubscribe", "Subscribe", "AutoResponder",
            "AddressChange", "OpenRelayTest", "ChallengeVerification", "VirusNotification", "ManuallyDeactivated",
            "Unconfirmed", "SMTPApiError", "InboundError", "TemplateRenderingFailed");

    private WebhookParsers() {
    }

    /**
     * Detects the format: an SNS envelope or bare SES notification, a Postmark webhook, or Gazette JSON (object or array).
     */
    public static List<BounceReport> parse(String json) {
        JsonNode root = read(json, "body");
        if (root.isArray()) {
            return gazette(root);
        }
        if (!root.isObject()) {
            throw new BounceFormatException("body", "must be a JSON object or array");
        }
        if (root.has("TopicArn") || root.has("notificationType") || root.has("eventType")) {
            return ses(root);
        }
        if (root.has("RecordType") || root.has("MessageID")) {
            return postmark(root);
        }
        if (root.has("type")) {
            return gazette(root);
        }
        throw new BounceFormatException("body", "is neither an SES, Postmark nor Gazette bounce notification");
    }

    /**
     * An SES bounce or complaint, inside an SNS {@code Notification} envelope or bare (raw message delivery, or
     * configuration-set events with {@code eventType}). Other notification types and SNS confirmations give an empty list.
     */
    public static List<BounceReport> ses(String json) {
        return ses(read(json, "body"));
    }

    /** The URL to visit when the body is an SNS {@code SubscriptionConfirmation}, else empty. */
    public static Optional<String> snsSubscribeUrl(String json) {
        JsonNode root = read(json, "body");
        if (!"SubscriptionConfirmation".equals(text(root, "Type", "Type"))) {
            return Optional.empty();
        }
        return Optional.of(required(root, "SubscribeURL", "SubscribeURL"));
    }

    /**
     * A Postmark bounce, spam complaint or subscription change webhook. Bounce types that are not delivery failures
     * (auto-replies, subscribe requests...), other record types and reactivations give an empty list.
     */
    public static List<BounceReport> postmark(String json) {
        return postmark(read(json, "body"));
    }

    /**
     * Gazette's own format, one object or an array of them: {@code type} (hard_bounce, soft_bounce, complaint),
     * {@code recipient} and/or {@code bounceAddress}, and optional {@code messageId}, {@code status}, {@code diagnostic}.
     */
    public static List<BounceReport> gazette(String json) {
        return gazette(read(json, "body"));
    }

    private static List<BounceReport> ses(JsonNode root) {
        JsonNode notification = root;
        String prefix = "";
        String snsType = text(root, "Type", "Type");
        if (snsType != null) {
            if (!"Notification".equals(snsType)) {
                return List.of();
            }
            notification = read(required(root, "Message", "Message"), "Message");
            prefix = "Message.";
        }
        if (!notification.isObject()) {
            throw new BounceFormatException(prefix.isEmpty() ? "body" : "Message", "must be a JSON object");
        }
        String type = text(notification, "notificationType", prefix + "notificationType");
        type = type != null ? type : text(notification, "eventType", prefix + "eventType");
        if (type == null) {
            throw BounceFormatException.missing(prefix + "notificationType");
        }
        JsonNode mail = notification.path("mail");
        String source = Reports.address(text(mail, "source", prefix + "mail.source"));
        String messageId = sesMessageId(mail, prefix);
        List<BounceReport> reports = new ArrayList<>();
        if (type.equals("Bounce")) {
            JsonNode bounce = object(notification, "bounce", prefix + "bounce");
            String path = prefix + "bounce.";
            Kind kind = "Permanent".equals(required(bounce, "bounceType", path + "bounceType"))
                    ? Kind.HARD_BOUNCE : Kind.SOFT_BOUNCE;
            String subType = text(bounce, "bounceSubType", path + "bounceSubType");
            JsonNode recipients = nonEmptyArray(bounce, "bouncedRecipients", path + "bouncedRecipients");
            for (int i = 0; i < recipients.size(); i++) {
                JsonNode r = recipients.get(i);
                String at = path + "bouncedRecipients[" + i + "].";
                String email = required(r, "emailAddress", at + "emailAddress");
                String diagnostic = text(r, "diagnosticCode", at + "diagnosticCode");
                String status = Reports.status(text(r, "status", at + "status"));
                reports.add(new BounceReport(kind, Reports.address(email), source, messageId,
                        status != null ? status : Reports.status(diagnostic),
                        // without a DSN from the remote server SES only says why in the sub-type (NoEmail, Suppressed...)
                        Reports.diagnostic(diagnostic != null ? diagnostic : subType)));
            }
        } else if (type.equals("Complaint")) {
            JsonNode complaint = object(notification, "complaint", prefix + "complaint");
            String path = prefix + "complaint.";
            String feedbackType = text(complaint, "complaintFeedbackType", path + "complaintFeedbackType");
            if (feedbackType == null) {
                feedbackType = text(complaint, "complaintSubType", path + "complaintSubType");
            }
            JsonNode recipients = nonEmptyArray(complaint, "complainedRecipients", path + "complainedRecipients");
            for (int i = 0; i < recipients.size(); i++) {
                String email = required(recipients.get(i), "emailAddress", path + "complainedRecipients[" + i + "].emailAddress");
                reports.add(new BounceReport(Kind.COMPLAINT, Reports.address(email), source, messageId, null,
                        Reports.diagnostic(feedbackType)));
            }
        }
        return reports;
    }

    /** The original Message-ID header; {@code mail.messageId} is SES's own id and useless for matching. */
    private static String sesMessageId(JsonNode mail, String prefix) {
        String id = text(mail.path("commonHeaders"), "messageId", prefix + "mail.commonHeaders.messageId");
        JsonNode headers = mail.path("headers");
        for (int i = 0; id == null && headers.isArray() && i < headers.size(); i++) {
            if ("Message-ID".equalsIgnoreCase(text(headers.get(i), "name", prefix + "mail.headers[" + i + "].name"))) {
                id = text(headers.get(i), "value", prefix + "mail.headers[" + i + "].value");
            }
        }
        return id;
    }

    private static List<BounceReport> postmark(JsonNode n) {
        if (!n.isObject()) {
            throw new BounceFormatException("body", "must be a JSON object");
        }
        String recordType = text(n, "RecordType", "RecordType");
        String type = text(n, "Type", "Type");
        // Bounce webhooks from before RecordType existed carry only Type
        String record = recordType != null ? recordType : type != null ? "Bounce" : null;
        if (record == null) {
            throw BounceFormatException.missing("RecordType");
        }
        Kind kind;
        String diagnosticFallback;
        switch (record) {
            case "Bounce" -> {
                String bounceType = required(n, "Type", "Type");
                kind = POSTMARK_IGNORED.contains(bounceType) ? null
                        : POSTMARK_HARD.contains(bounceType) ? Kind.HARD_BOUNCE
                        : bounceType.equals("SpamComplaint") ? Kind.COMPLAINT
                        : Kind.SOFT_BOUNCE;
                diagnosticFallback = text(n, "Description", "Description");
            }
            case "SpamComplaint" -> {
                kind = Kind.COMPLAINT;
                diagnosticFallback = "SpamComplaint";
            }
            case "SubscriptionChange" -> {
                return postmarkSuppression(n);
            }
            default -> {
                return List.of();
            }
        }
        if (kind == null) {
            return List.of();
        }
        String email = required(n, "Email", "Email");
        String details = text(n, "Details", "Details");
        return List.of(new BounceReport(kind, Reports.address(email), null, text(n, "MessageID", "MessageID"),
                kind == Kind.COMPLAINT ? null : Reports.status(details),
                Reports.diagnostic(details != null ? details : diagnosticFallback)));
    }

    /** Broadcast streams report bounces and complaints only as suppressions. */
    private static List<BounceReport> postmarkSuppression(JsonNode n) {
        String reason = text(n, "SuppressionReason", "SuppressionReason");
        if (!n.path("SuppressSending").asBoolean(false) || reason == null) {
            return List.of();
        }
        Kind kind = switch (reason) {
            case "HardBounce" -> Kind.HARD_BOUNCE;
            case "SpamComplaint" -> Kind.COMPLAINT;
            default -> null;
        };
        if (kind == null) {
            return List.of();
        }
        return List.of(new BounceReport(kind, Reports.address(required(n, "Recipient", "Recipient")), null,
                text(n, "MessageID", "MessageID"), null, reason));
    }

    private static List<BounceReport> gazette(JsonNode root) {
        if (root.isObject()) {
            return List.of(gazetteReport(root, ""));
        }
        if (!root.isArray()) {
            throw new BounceFormatException("body", "must be a JSON object or array");
        }
        List<BounceReport> reports = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            if (!root.get(i).isObject()) {
                throw new BounceFormatException("[" + i + "]", "must be a JSON object");
            }
            reports.add(gazetteReport(root.get(i), "[" + i + "]."));
        }
        return reports;
    }

    private static BounceReport gazetteReport(JsonNode n, String path) {
        Kind kind = switch (required(n, "type", path + "type").toLowerCase(Locale.ROOT)) {
            case "hard_bounce" -> Kind.HARD_BOUNCE;
            case "soft_bounce" -> Kind.SOFT_BOUNCE;
            case "complaint" -> Kind.COMPLAINT;
            default -> throw new BounceFormatException(path + "type", "must be hard_bounce, soft_bounce or complaint");
        };
        String recipient = Reports.address(text(n, "recipient", path + "recipient"));
        String bounceAddress = Reports.address(text(n, "bounceAddress", path + "bounceAddress"));
        if (recipient == null && bounceAddress == null) {
            throw new BounceFormatException(path + "recipient", "is missing (give recipient, bounceAddress or both)");
        }
        String status = text(n, "status", path + "status");
        if (status != null && !status.equals(Reports.status(status))) {
            throw new BounceFormatException(path + "status", "must be an enhanced status code such as 5.1.1");
        }
        return new BounceReport(kind, recipient, bounceAddress, text(n, "messageId", path + "messageId"), status,
                Reports.diagnostic(text(n, "diagnostic", path + "diagnostic")));
    }

    private static JsonNode read(String json, String field) {
        if (json == null || json.isBlank()) {
            throw new BounceFormatException(field, "is empty");
        }
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new BounceFormatException(field, "is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String text(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            throw new BounceFormatException(path, "must be a string");
        }
        return Reports.blankToNull(value.asText());
    }

    private static String required(JsonNode node, String field, String path) {
        String value = text(node, field, path);
        if (value == null) {
            throw BounceFormatException.missing(path);
        }
        return value;
    }

    private static JsonNode object(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw BounceFormatException.missing(path);
        }
        if (!value.isObject()) {
            throw new BounceFormatException(path, "must be an object");
        }
        return value;
    }

    private static JsonNode nonEmptyArray(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || (value.isArray() && value.isEmpty())) {
            throw BounceFormatException.missing(path);
        }
        if (!value.isArray()) {
            throw new BounceFormatException(path, "must be an array");
        }
        return value;
    }
}
