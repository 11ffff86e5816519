package dev.gazette.mail.bounce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.gazette.mail.bounce.BounceReport.Kind;

class WebhookParsersTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String SES_PERMANENT = """
            {
              "notificationType": "Bounce",
              "bounce": {
                "bounceType": "Permanent",
                "bounceSubType": "General",
                "bouncedRecipients": [
                  {
                    "emailAddress": "Nobody@Example.NET",
                    "action": "failed",
                    "status": "5.1.1",
                    "diagnosticCode": "smtp; 550 5.1.1 <Nobody@Example.NET>: no such user"
                  }
                ],
                "timestamp": "2026-03-03T10:15:03.112Z",
                "feedbackId": "0102018e5d0f1a2b-11112222-3333-4444-5555-666677778888-000000",
                "reportingMTA": "dns; b224-12.smtp-out.eu-west-1.amazonses.com",
                "remoteMtaIp": "192.0.2.25"
              },
              "mail": {
                "timestamp": "2026-03-03T10:15:01.000Z",
                "source": "bounce+d1234@bounces.example.org",
                "sourceArn": "arn:aws:ses:eu-west-1:123456789012:identity/example.org",
                "sendingAccountId": "123456789012",
                "messageId": "0102018e5d0e0000-aaaabbbb-cccc-dddd-eeee-ffff00001111-000000",
                "destination": ["Nobody@Example.NET"],
                "headersTruncated": false,
                "headers": [
                  {"name": "From", "value": "Gazette <news@example.org>"},
                  {"name": "To", "value": "Nobody@Example.NET"},
                  {"name": "Message-ID", "value": "<d1234.7f3a@gazette.example.org>"},
                  {"name": "Subject", "value": "This week in Gazette"}
                ],
                "commonHeaders": {
                  "from": ["Gazette <news@example.org>"],
                  "to": ["Nobody@Example.NET"],
                  "messageId": "<d1234.7f3a@gazette.example.org>",
                  "subject": "This week in Gazette"
                }
              }
            }
            """;

    /** A configuration-set event (eventType) without DSN text, original headers only in the headers list. */
    private static final String SES_TRANSIENT_EVENT = """
            {
              "eventType": "Bounce",
              "bounce": {
                "bounceType": "Transient",
                "bounceSubType": "MailboxFull",
                "bouncedRecipients": [
                  {"emailAddress": "full@example.com", "diagnosticCode": "smtp; 452 4.2.2 mailbox over quota"},
                  {"emailAddress": "later@example.com"}
                ],
                "timestamp": "2026-03-03T11:00:00.000Z",
                "feedbackId": "0102018e5d0f1a2c-00000000-1111-2222-3333-444455556666-000000"
              },
              "mail": {
                "source": "bounce+d2000@bounces.example.org",
                "messageId": "0102018e5d0e0001-aaaabbbb-cccc-dddd-eeee-ffff00002222-000000",
                "headers": [
                  {"name": "Message-Id", "value": "<d2000.b1@gazette.example.org>"}
                ]
              }
            }
            """;

    private static final String SES_COMPLAINT = """
            {
              "notificationType": "Complaint",
              "complaint": {
                "userAgent": "ExampleFBL/2.1",
                "complainedRecipients": [
                  {"emailAddress": "reader@example.net"},
                  {"emailAddress": "other@Example.net"}
                ],
                "complaintFeedbackType": "abuse",
                "arrivalDate": "2026-03-04T07:58:12.000Z",
                "timestamp": "2026-03-04T08:01:00.000Z",
                "feedbackId": "0102018e5d0f1a2d-99998888-7777-6666-5555-444433332222-000000"
              },
              "mail": {
                "source": "bounce+d5678@bounces.example.org",
                "messageId": "0102018e5d0e0002-aaaabbbb-cccc-dddd-eeee-ffff00003333-000000",
                "commonHeaders": {"messageId": "<d5678.aa@gazette.example.org>"}
              }
            }
            """;

    private static final String SNS_CONFIRMATION = """
            {
              "Type": "SubscriptionConfirmation",
              "MessageId": "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
              "Token": "2336412f37fb687f5d51e6e2425ba1f2",
              "TopicArn": "arn:aws:sns:eu-west-1:123456789012:gazette-bounces",
              "Message": "Confirm the subscription by visiting the SubscribeURL.",
              "SubscribeURL": "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:eu-west-1:123456789012:gazette-bounces&Token=2336412f37fb687f5d51e6e2425ba1f2",
              "Timestamp": "2026-03-01T09:00:00.000Z",
              "SignatureVersion": "1",
              "Signature": "c2lnbmF0dXJl",
              "SigningCertURL": "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0000.pem"
            }
            """;

    private static final String POSTMARK_HARD = """
            {
              "RecordType": "Bounce",
              "MessageStream": "outbound",
              "ID": 4323372036,
              "Type": "HardBounce",
              "TypeCode": 1,
              "Name": "Hard bounce",
              "Tag": "weekly",
              "MessageID": "6a1c1b8e-0f0e-4b8e-9a57-3f1d2c4b5a69",
              "Metadata": {"delivery": "d1234"},
              "ServerID": 23,
              "Description": "The receiving server rejected the message: the mailbox does not exist.",
              "Details": "smtp;550 5.1.1 The account you tried to reach does not exist.",
              "Email": "nobody@Example.NET",
              "From": "news@example.org",
              "BouncedAt": "2026-03-03T10:15:03Z",
              "DumpAvailable": true,
              "Inactive": true,
              "CanActivate": true,
              "Subject": "This week in Gazette"
            }
            """;

    private static final String POSTMARK_COMPLAINT = """
            {
              "RecordType": "SpamComplaint",
              "MessageStream": "outbound",
              "ID": 42,
              "Type": "SpamComplaint",
              "TypeCode": 100001,
              "Name": "Spam complaint",
              "MessageID": "0f5e5d6c-1111-2222-3333-444455556666",
              "ServerID": 23,
              "Description": "",
              "Details": "",
              "Email": "reader@example.net",
              "From": "news@example.org",
              "BouncedAt": "2026-03-04T08:01:00Z",
              "DumpAvailable": true,
              "Inactive": true,
              "CanActivate": false,
              "Subject": "This week in Gazette"
            }
            """;

    @Test
    void sesPermanentBounceInSnsEnvelope() {
        List<BounceReport> reports = WebhookParsers.ses(sns(SES_PERMANENT));

        assertEquals(List.of(new BounceReport(Kind.HARD_BOUNCE, "Nobody@example.net", "bounce+d1234@bounces.example.org",
                "<d1234.7f3a@gazette.example.org>", "5.1.1", "smtp; 550 5.1.1 <Nobody@Example.NET>: no such user")), reports);
    }

    @Test
    void sesTransientBounceInSnsEnvelope() {
        List<BounceReport> reports = WebhookParsers.ses(sns(SES_TRANSIENT_EVENT));

        assertEquals(List.of(
                new BounceReport(Kind.SOFT_BOUNCE, "full@example.com", "bounce+d2000@bounces.example.org",
                        "<d2000.b1@gazette.example.org>", "4.2.2", "smtp; 452 4.2.2 mailbox over quota"),
                new BounceReport(Kind.SOFT_BOUNCE, "later@example.com", "bounce+d2000@bounces.example.org",
                        "<d2000.b1@gazette.example.org>", null, "MailboxFull")), reports);
    }

    @Test
    void sesWithoutEnvelopeParsesTheSame() {
        assertEquals(WebhookParsers.ses(sns(SES_PERMANENT)), WebhookParsers.ses(SES_PERMANENT));
    }

    @Test
    void undeterminedBounceIsSoft() {
        String undetermined = SES_PERMANENT.replace("\"Permanent\"", "\"Undetermined\"");

        assertEquals(Kind.SOFT_BOUNCE, WebhookParsers.ses(undetermined).get(0).kind());
    }

    @Test
    void sesComplaintGivesOneReportPerRecipient() {
        List<BounceReport> reports = WebhookParsers.ses(sns(SES_COMPLAINT));

        assertEquals(List.of(
                new BounceReport(Kind.COMPLAINT, "reader@example.net", "bounce+d5678@bounces.example.org",
                        "<d5678.aa@gazette.example.org>", null, "abuse"),
                new BounceReport(Kind.COMPLAINT, "other@example.net", "bounce+d5678@bounces.example.org",
                        "<d5678.aa@gazette.example.org>", null, "abuse")), reports);
    }

    @Test
    void sesDeliveryIsNoReport() {
        assertTrue(WebhookParsers.ses(sns("{\"notificationType\": \"Delivery\", \"mail\": {}, \"delivery\": {}}")).isEmpty());
    }

    @Test
    void snsSubscriptionConfirmationExposesTheUrl() {
        assertEquals(Optional.of("https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription"
                + "&TopicArn=arn:aws:sns:eu-west-1:123456789012:gazette-bounces&Token=2336412f37fb687f5d51e6e2425ba1f2"),
                WebhookParsers.snsSubscribeUrl(SNS_CONFIRMATION));
        assertTrue(WebhookParsers.ses(SNS_CONFIRMATION).isEmpty());
        assertEquals(Optional.empty(), WebhookParsers.snsSubscribeUrl(sns(SES_PERMANENT)));
    }

    @Test
    void postmarkHardBounce() {
        assertEquals(List.of(new BounceReport(Kind.HARD_BOUNCE, "nobody@example.net", null,
                "6a1c1b8e-0f0e-4b8e-9a57-3f1d2c4b5a69", "5.1.1",
                "smtp;550 5.1.1 The account you tried to reach does not exist.")), WebhookParsers.postmark(POSTMARK_HARD));
    }

    @Test
    void postmarkSpamComplaint() {
        assertEquals(List.of(new BounceReport(Kind.COMPLAINT, "reader@example.net", null,
                "0f5e5d6c-1111-2222-3333-444455556666", null, "SpamComplaint")), WebhookParsers.postmark(POSTMARK_COMPLAINT));
    }

    @Test
    void postmarkBounceTypesMapToKinds() {
        Function<String, List<BounceReport>> ofType = type -> WebhookParsers.postmark(
                POSTMARK_HARD.replace("\"HardBounce\"", "\"" + type + "\""));

        assertEquals(Kind.SOFT_BOUNCE, ofType.apply("SoftBounce").get(0).kind());
        assertEquals(Kind.SOFT_BOUNCE, ofType.apply("Transient").get(0).kind());
        assertEquals(Kind.HARD_BOUNCE, ofType.apply("BadEmailAddress").get(0).kind());
        assertTrue(ofType.apply("AutoResponder").isEmpty());
        assertTrue(WebhookParsers.postmark(POSTMARK_HARD.replace("\"RecordType\": \"Bounce\"", "\"RecordType\": \"Delivery\""))
                .isEmpty());
    }

    @Test
    void postmarkBroadcastSuppression() {
        String change = """
                {"RecordType": "SubscriptionChange", "MessageID": "883953f4-0000-1111-2222-333344445555",
                 "ServerID": 23, "MessageStream": "broadcast", "ChangedAt": "2026-03-03T10:15:03Z",
                 "Recipient": "nobody@example.net", "Origin": "Recipient", "SuppressSending": true,
                 "SuppressionReason": "HardBounce", "Tag": null, "Metadata": {}}
                """;

        assertEquals(List.of(new BounceReport(Kind.HARD_BOUNCE, "nobody@example.net", null,
                "883953f4-0000-1111-2222-333344445555", null, "HardBounce")), WebhookParsers.postmark(change));
        assertTrue(WebhookParsers.postmark(change.replace("\"SuppressSending\": true", "\"SuppressSending\": false")).isEmpty());
        assertTrue(WebhookParsers.postmark(change.replace("\"HardBounce\"", "\"ManualSuppression\"")).isEmpty());
    }

    @Test
    void gazetteSingle() {
        String json = """
                {"type": "hard_bounce", "recipient": "Nobody@Example.NET", "bounceAddress": "bounce+d1234@bounces.example.org",
                 "messageId": "<d1234.7f3a@gazette.example.org>", "status": "5.1.1", "diagnostic": "550 5.1.1 no such user"}
                """;

        assertEquals(List.of(new BounceReport(Kind.HARD_BOUNCE, "Nobody@example.net", "bounce+d1234@bounces.example.org",
                "<d1234.7f3a@gazette.example.org>", "5.1.1", "550 5.1.1 no such user")), WebhookParsers.gazette(json));
    }

    @Test
    void gazetteArray() {
        String json = """
                [
                  {"type": "soft_bounce", "bounceAddress": "bounce+d2000@bounces.example.org", "status": "4.2.2"},
                  {"type": "complaint", "recipient": "reader@example.net"}
                ]
                """;

        assertEquals(List.of(
                new BounceReport(Kind.SOFT_BOUNCE, null, "bounce+d2000@bounces.example.org", null, "4.2.2", null),
                new BounceReport(Kind.COMPLAINT, "reader@example.net", null, null, null, null)), WebhookParsers.gazette(json));
        assertTrue(WebhookParsers.gazette("[]").isEmpty());
    }

    @Test
    void diagnosticIsCutAt500Characters() {
        String json = "{\"type\": \"hard_bounce\", \"recipient\": \"a@example.net\", \"diagnostic\": \"" + "x".repeat(600) + "\"}";

        assertEquals("x".repeat(500), WebhookParsers.gazette(json).get(0).diagnostic());
    }

    @Test
    void formatIsDetected() {
        assertEquals(WebhookParsers.ses(sns(SES_PERMANENT)), WebhookParsers.parse(sns(SES_PERMANENT)));
        assertEquals(WebhookParsers.ses(SES_COMPLAINT), WebhookParsers.parse(SES_COMPLAINT));
        assertEquals(WebhookParsers.postmark(POSTMARK_HARD), WebhookParsers.parse(POSTMARK_HARD));
        assertEquals(Kind.COMPLAINT, WebhookParsers.parse("[{\"type\": \"complaint\", \"recipient\": \"a@example.net\"}]")
                .get(0).kind());
        assertMissing("body", () -> WebhookParsers.parse("{\"hello\": \"world\"}"));
    }

    @Test
    void missingFieldsAreNamed() {
        assertMissing("Message.bounce.bouncedRecipients",
                () -> WebhookParsers.ses(sns(SES_PERMANENT.replace("\"bouncedRecipients\"", "\"recipients\""))));
        assertMissing("Message.bounce.bouncedRecipients[0].emailAddress",
                () -> WebhookParsers.ses(sns(SES_PERMANENT.replace("\"emailAddress\"", "\"address\""))));
        assertMissing("bounce.bounceType", () -> WebhookParsers.ses(SES_PERMANENT.replace("\"bounceType\"", "\"kind\"")));
        assertMissing("notificationType", () -> WebhookParsers.ses("{\"mail\": {}}"));
        assertMissing("Message", () -> WebhookParsers.ses("{\"Type\": \"Notification\", \"TopicArn\": \"arn:x\"}"));
        assertMissing("Message", () -> WebhookParsers.ses("{\"Type\": \"Notification\", \"Message\": \"not json\"}"));
        assertMissing("SubscribeURL", () -> WebhookParsers.snsSubscribeUrl("{\"Type\": \"SubscriptionConfirmation\"}"));
        assertMissing("Email", () -> WebhookParsers.postmark(POSTMARK_HARD.replace("\"Email\"", "\"Mail\"")));
        assertMissing("RecordType", () -> WebhookParsers.postmark("{\"ID\": 1}"));
        assertMissing("type", () -> WebhookParsers.gazette("{\"recipient\": \"a@example.net\"}"));
        assertMissing("type", () -> WebhookParsers.gazette("{\"type\": \"bounce\", \"recipient\": \"a@example.net\"}"));
        assertMissing("[1].recipient", () -> WebhookParsers.gazette("[{\"type\": \"complaint\", \"recipient\": \"a@example.net\"},"
                + " {\"type\": \"complaint\"}]"));
        assertMissing("status", () -> WebhookParsers.gazette("{\"type\": \"hard_bounce\", \"recipient\": \"a@example.net\","
                + " \"status\": \"550\"}"));
        assertMissing("body", () -> WebhookParsers.gazette("{\"type\": "));
        assertMissing("body", () -> WebhookParsers.postmark("  "));
    }

    private static void assertMissing(String field, Runnable parse) {
        BounceFormatException e = assertThrows(BounceFormatException.class, parse::run);
        assertEquals(field, e.field(), e.getMessage());
    }

    /** Wraps an SES notification the way SNS delivers it over HTTP: as a JSON string inside the envelope. */
    private static String sns(String sesJson) {
        ObjectNode envelope = MAPPER.createObjectNode()
                .put("Type", "Notification")
                .put("MessageId", "a3c5e1f0-6f43-5c8e-9a1b-2b7c9d0e1f23")
                .put("TopicArn", "arn:aws:sns:eu-west-1:123456789012:gazette-bounces")
                .put("Message", sesJson)
                .put("Timestamp", "2026-03-03T10:15:04.000Z")
                .put("SignatureVersion", "1")
                .put("Signature", "c2lnbmF0dXJl")
                .put("SigningCertURL", "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0000.pem")
                .put("UnsubscribeURL", "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe");
        return envelope.toString();
    }
}
