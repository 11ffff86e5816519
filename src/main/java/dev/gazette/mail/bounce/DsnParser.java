package dev.gazette.mail.bounce;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import dev.gazette.mail.bounce.BounceReport.Kind;
import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimePartDataSource;
import jakarta.mail.internet.ParseException;

/**
 * Parses RFC 3464 delivery status notifications and RFC 5965 (ARF) complaint reports into bounce reports.
 */
public final class DsnParser {

    private static final Session SESSION = Session.getInstance(new Properties());
    private static final int MAX_NESTING = 3;

    private DsnParser() {
    }

    /**
     * One report per failed or delayed recipient of a delivery status notification, one complaint per reported
     * recipient of a feedback report, and an empty list for any other message (an auto-reply, a plain-text bounce).
     *
     * @param rawRfc822      the notification as received, optionally with an mbox {@code From } line in front
     * @param envelopeToHint the envelope recipient the MTA delivered the notification to, i.e. the VERP address;
     *                       null to take it from the X-Original-To, Delivered-To or To header. A feedback report's
     *                       Original-Mail-From wins over both, since feedback loops deliver to a fixed address.
     * @throws BounceFormatException if the input is not a MIME message or its report part is malformed
     */
    public static List<BounceReport> parse(InputStream rawRfc822, String envelopeToHint) {
        if (rawRfc822 == null) {
            throw BounceFormatException.missing("body");
        }
        try {
            MimeMessage message = new MimeMessage(SESSION, skipMboxFromLine(rawRfc822));
            checkHeaders(message);
            MimePart report = findReport(message, 0);
            return report == null ? List.of() : parseReport(message, report, envelopeToHint);
        } catch (MessagingException | IOException e) {
            throw new BounceFormatException("body", "is not a readable MIME message: " + e.getMessage(), e);
        }
    }

    private static List<BounceReport> parseReport(MimeMessage message, MimePart report, String hint)
            throws MessagingException, IOException {
        MimeMultipart parts = multipart(report);
        String deliveryStatus = null;
        String feedback = null;
        InternetHeaders returned = null;
        for (int i = 0; i < parts.getCount(); i++) {
            MimePart part = (MimePart) parts.getBodyPart(i);
            if (part.isMimeType("message/delivery-status") || part.isMimeType("message/global-delivery-status")) {
                deliveryStatus = deliveryStatus == null ? text(part) : deliveryStatus;
            } else if (part.isMimeType("message/feedback-report")) {
                feedback = feedback == null ? text(part) : feedback;
            } else if (returned == null && (part.isMimeType("message/rfc822") || part.isMimeType("text/rfc822-headers")
                    || part.isMimeType("message/global") || part.isMimeType("message/global-headers"))) {
                try (InputStream in = new MimePartDataSource(part).getInputStream()) {
                    returned = new InternetHeaders(in);
                }
            }
        }
        String messageId = returned == null ? null : Reports.blankToNull(returned.getHeader("Message-ID", null));
        if (deliveryStatus != null) {
            return deliveryStatus(deliveryStatus, envelopeTo(message, hint), messageId);
        }
        if (feedback != null) {
            return feedback(feedback, returned, envelopeTo(message, hint), messageId);
        }
        String reportType = new ContentType(report.getContentType()).getParameter("report-type");
        if ("delivery-status".equalsIgnoreCase(reportType)) {
            throw new BounceFormatException("message/delivery-status", "part is missing from the delivery-status report");
        }
        if ("feedback-report".equalsIgnoreCase(reportType)) {
            throw new BounceFormatException("message/feedback-report", "part is missing from the feedback report");
        }
        return List.of();
    }

    private static List<BounceReport> deliveryStatus(String body, String envelopeTo, String messageId) {
        List<Map<String, List<String>>> groups = fieldGroups(body, "message/delivery-status");
        // Some MTAs omit the blank line after the per-message fields; then the first group is already a recipient
        boolean perMessageFirst = !groups.isEmpty() && first(groups.get(0), "Final-Recipient") == null
                && first(groups.get(0), "Action") == null;
        List<Map<String, List<String>>> recipients = groups.subList(perMessageFirst ? 1 : 0, groups.size());
        if (recipients.isEmpty()) {
            throw new BounceFormatException("message/delivery-status", "has no per-recipient fields");
        }
        List<BounceReport> reports = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            Map<String, List<String>> fields = recipients.get(i);
            String diagnostic = first(fields, "Diagnostic-Code");
            String status = Reports.status(first(fields, "Status"));
            status = status != null ? status : Reports.status(diagnostic);
            Kind kind = kind(first(fields, "Action"), status, i);
            if (kind != null) {
                String recipient = first(fields, "Final-Recipient");
                recipient = recipient != null ? recipient : first(fields, "Original-Recipient");
                reports.add(new BounceReport(kind, Reports.address(typedAddress(recipient)), envelopeTo, messageId,
                        status, Reports.diagnostic(diagnostic)));
            }
        }
        return reports;
    }

    /** Null for a recipient that was delivered, relayed or expanded: nothing to report. */
    private static Kind kind(String actionField, String status, int index) {
        String action = actionField == null ? "" : actionField.split("[\\s(]", 2)[0].toLowerCase(Locale.ROOT);
        return switch (action) {
            case "failed" -> status != null && status.startsWith("4") ? Kind.SOFT_BOUNCE : Kind.HARD_BOUNCE;
            case "delayed" -> Kind.SOFT_BOUNCE;
            case "delivered", "relayed", "expanded" -> null;
            default -> {
                if (status == null) {
                    throw new BounceFormatException("message/delivery-status",
                            "recipient block " + (index + 1) + " has neither a known Action nor a Status");
                }
                yield status.startsWith("5") ? Kind.HARD_BOUNCE : status.startsWith("4") ? Kind.SOFT_BOUNCE : null;
            }
        };
    }

    private static List<BounceReport> feedback(String body, InternetHeaders returned, String envelopeTo, String messageId) {
        Map<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map<String, List<String>> group : fieldGroups(body, "message/feedback-report")) {
            group.forEach((name, values) -> fields.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values));
        }
        String diagnostic = Reports.diagnostic(first(fields, "Feedback-Type"));
        String mailFrom = Reports.address(first(fields, "Original-Mail-From"));
        if (mailFrom == null && returned != null) {
            mailFrom = Reports.address(firstAddress(returned.getHeader("Return-Path", ",")));
        }
        String bounceAddress = mailFrom != null ? mailFrom : envelopeTo;
        List<String> recipients = fields.getOrDefault("Original-Rcpt-To", List.of());
        if (recipients.isEmpty()) {
            // Many providers redact the recipient; the VERP address is then the only key
            recipients = new ArrayList<>();
            recipients.add(returned == null ? null : firstAddress(returned.getHeader("To", ",")));
        }
        List<BounceReport> reports = new ArrayList<>();
        for (String recipient : recipients) {
            reports.add(new BounceReport(Kind.COMPLAINT, Reports.address(recipient), bounceAddress, messageId, null,
                    diagnostic));
        }
        return reports;
    }

    /** Blank-line separated groups of header-style fields, unfolded, names case-insensitive. */
    static List<Map<String, List<String>>> fieldGroups(String body, String partName) {
        List<Map<String, List<String>>> groups = new ArrayList<>();
        Map<String, List<String>> group = null;
        List<String> last = null;
        for (String line : body.split("\r\n|\r|\n")) {
            if (line.isBlank()) {
                group = null;
                last = null;
            } else if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && last != null) {
                last.set(last.size() - 1, last.get(last.size() - 1) + " " + line.strip());
            } else {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new BounceFormatException(partName, "has a line that is not a field: " + abbreviate(line.strip()));
                }
                if (group == null) {
                    group = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                    groups.add(group);
                }
                last = group.computeIfAbsent(line.substring(0, colon).strip(), n -> new ArrayList<>());
                last.add(line.substring(colon + 1).strip());
            }
        }
        return groups;
    }

    private static String first(Map<String, List<String>> fields, String name) {
        List<String> values = fields.get(name);
        return values == null || values.isEmpty() ? null : Reports.blankToNull(values.get(0).replaceAll("\\s+", " "));
    }

    /** {@code rfc822; jane@example.org} becomes {@code jane@example.org}. */
    private static String typedAddress(String field) {
        if (field == null) {
            return null;
        }
        int semicolon = field.indexOf(';');
        return semicolon < 0 ? field : field.substring(semicolon + 1);
    }

    private static String envelopeTo(MimeMessage message, String hint) throws MessagingException {
        String address = Reports.address(hint);
        for (String header : new String[] {"X-Original-To", "Delivered-To", "To"}) {
            if (address == null) {
                address = Reports.address(firstAddress(message.getHeader(header, ",")));
            }
        }
        return address;
    }

    private static String firstAddress(String headerValue) {
        if (headerValue == null) {
            return null;
        }
        try {
            InternetAddress[] addresses = InternetAddress.parseHeader(headerValue, false);
            return addresses.length == 0 ? null : addresses[0].getAddress();
        } catch (AddressException e) {
            return headerValue;
        }
    }

    private static MimePart findReport(MimePart part, int depth) throws MessagingException, IOException {
        if (part.isMimeType("multipart/report")) {
            return part;
        }
        if (depth < MAX_NESTING && part.isMimeType("multipart/*")) {
            MimeMultipart children = multipart(part);
            for (int i = 0; i < children.getCount(); i++) {
                MimePart found = findReport((MimePart) children.getBodyPart(i), depth + 1);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** Parsed from the part's own bytes, so no content handler (mailcap) lookup is involved. */
    private static MimeMultipart multipart(MimePart part) throws MessagingException {
        return new MimeMultipart(new MimePartDataSource(part));
    }

    private static String text(MimePart part) throws MessagingException, IOException {
        try (InputStream in = new MimePartDataSource(part).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void checkHeaders(MimeMessage message) throws MessagingException {
        Enumeration<Header> headers = message.getAllHeaders();
        while (headers.hasMoreElements()) {
            Header header = headers.nextElement();
            if (header.getValue() == null || !isFieldName(header.getName())) {
                throw new BounceFormatException("body", "has a header line that is not a field: "
                        + abbreviate(header.getName()));
            }
        }
        if (message.getHeader("From") == null && message.getHeader("Content-Type") == null) {
            throw new BounceFormatException("body", "has neither a From nor a Content-Type header");
        }
        try {
            new ContentType(message.getContentType());
        } catch (ParseException e) {
            throw new BounceFormatException("Content-Type", "cannot be parsed: " + e.getMessage(), e);
        }
    }

    private static boolean isFieldName(String name) {
        return !name.isEmpty() && name.chars().allMatch(c -> c > 32 && c < 127 && c != ':');
    }

    private static InputStream skipMboxFromLine(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw);
        in.mark(5);
        if (new String(in.readNBytes(5), StandardCharsets.ISO_8859_1).equals("From ")) {
            int c;
            do {
                c = in.read();
            } while (c != -1 && c != '\n');
        } else {
            in.reset();
        }
        return in;
    }

    /** Short and printable, since it ends up in a response and in logs. */
    private static String abbreviate(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7E]", "?");
        return printable.length() > 60 ? printable.substring(0, 60) + "..." : printable;
    }
}
