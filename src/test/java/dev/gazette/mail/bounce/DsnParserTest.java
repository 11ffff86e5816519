package dev.gazette.mail.bounce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.gazette.mail.bounce.BounceReport.Kind;

class DsnParserTest {

    private static final String VERP = "bounce+d1234@bounces.example.org";
    private static final String ORIGINAL_ID = "<d1234.7f3a@gazette.example.org>";

    /** Postfix's layout: per-message block, then one block per recipient; the first Diagnostic-Code is folded. */
    private static final String POSTFIX_DSN = """
            Return-Path: <>
            X-Original-To: bounce+d1234@bounces.example.org
            Delivered-To: bounces@mx.example.org
            Received: by mx.example.org (Postfix) id 7C0E21A0F3; Tue,  3 Mar 2026 10:15:02 +0000 (UTC)
            Date: Tue,  3 Mar 2026 10:15:02 +0000 (UTC)
            From: MAILER-DAEMON@mail.example.org (Mail Delivery System)
            Subject: Undelivered Mail Returned to Sender
            To: bounce+d1234@bounces.example.org
            Auto-Submitted: auto-replied
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status;
            \tboundary="7C0E21A0F3.1772532902/mail.example.org"
            Content-Transfer-Encoding: 8bit
            Message-Id: <20260303101502.7C0E21A0F3@mail.example.org>

            This is a MIME-encapsulated message.

            --7C0E21A0F3.1772532902/mail.example.org
            Content-Description: Notification
            Content-Type: text/plain; charset=us-ascii

            This is the mail system at host mail.example.org.

            Your message could not be delivered to one or more recipients.

            <nobody@Example.NET>: host mx.example.net[192.0.2.25] said: 550 5.1.1
                <nobody@example.net>: Recipient address rejected: User unknown in virtual
                mailbox table (in reply to RCPT TO command)

            --7C0E21A0F3.1772532902/mail.example.org
            Content-Description: Delivery report
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mail.example.org
            X-Postfix-Queue-ID: 7C0E21A0F3
            X-Postfix-Sender: rfc822; bounce+d1234@bounces.example.org
            Arrival-Date: Tue,  3 Mar 2026 10:14:58 +0000 (UTC)

            Final-Recipient: rfc822; nobody@Example.NET
            Original-Recipient: rfc822;nobody@Example.NET
            Action: failed
            Status: 5.1.1
            Remote-MTA: dns; mx.example.net
            Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.net>: Recipient address
                rejected: User unknown in virtual mailbox table

            Final-Recipient: rfc822; full@example.com
            Original-Recipient: rfc822;full@example.com
            Action: delayed
            Status: 4.2.2
            Remote-MTA: dns; mx.example.com
            Diagnostic-Code: smtp; 452 4.2.2 <full@example.com>: Mailbox full

            Final-Recipient: rfc822; fine@example.com
            Action: relayed
            Status: 2.0.0
            Remote-MTA: dns; legacy.example.com

            --7C0E21A0F3.1772532902/mail.example.org
            Content-Description: Undelivered Message
            Content-Type: message/rfc822

            Return-Path: <bounce+d1234@bounces.example.org>
            Received: from gazette.example.org (gazette.example.org [198.51.100.7])
            \tby mail.example.org (Postfix) with ESMTPS id 7C0E21A0F3
            \tfor <nobody@Example.NET>; Tue,  3 Mar 2026 10:14:58 +0000 (UTC)
            Message-ID: <d1234.7f3a@gazette.example.org>
            Date: Tue, 3 Mar 2026 10:14:57 +0000
            From: Gazette <news@example.org>
            To: nobody@Example.NET
            Subject: This week in Gazette
            MIME-Version: 1.0
            Content-Type: text/plain; charset=UTF-8

            Hello, here is this week's issue.

            --7C0E21A0F3.1772532902/mail.example.org--
            """;

    /** Sendmail-style, behind an mbox From line, returning only the original headers. */
    private static final String HEADERS_ONLY_DSN = """
            From MAILER-DAEMON Tue Mar  3 10:20:11 2026
            Date: Tue, 3 Mar 2026 10:20:11 +0100
            From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.com>
            To: <bounce+d99@bounces.example.org>
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="q1W2e3R4t5"
            Subject: Returned mail: see transcript for details
            Auto-Submitted: auto-generated (failure)

            --q1W2e3R4t5

            The original message was received at Tue, 3 Mar 2026 10:20:09 +0100
            from gazette.example.org [198.51.100.7]

            --q1W2e3R4t5
            Content-Type: message/delivery-status

            Reporting-MTA: dns; relay.example.com
            Received-From-MTA: DNS; gazette.example.org

            Final-Recipient: RFC822; <gone@Relay.Example.COM>
            Action: failed
            Status: 5.2.1 (mailbox disabled)
            Diagnostic-Code: SMTP; 550 5.2.1 <gone@relay.example.com>... Mailbox disabled for this recipient

            --q1W2e3R4t5
            Content-Type: text/rfc822-headers

            Return-Path: <bounce+d99@bounces.example.org>
            Message-Id: <d99.c0ffee@gazette.example.org>
            From: Gazette <news@example.org>
            To: gone@relay.example.com
            Subject: Confirm your subscription

            --q1W2e3R4t5--
            """;

    /** RFC 5965 report from a feedback loop, which delivers to a fixed address rather than the VERP one. */
    private static final String ARF = """
            From: Feedback Loop <fbl@isp.example.net>
            Date: Wed, 4 Mar 2026 08:01:00 +0000
            Subject: Complaint about message from 198.51.100.7
            To: <fbl-reports@example.org>
            Message-ID: <fbl.20260304080100.1@isp.example.net>
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=feedback-report;
                 boundary="arf_boundary_9x"

            --arf_boundary_9x
            Content-Type: text/plain; charset="US-ASCII"
            Content-Transfer-Encoding: 7bit

            A user of isp.example.net marked the attached message as spam.

            --arf_boundary_9x
            Content-Type: message/feedback-report

            Feedback-Type: abuse
            User-Agent: ExampleFBL/2.1
            Version: 1
            Original-Mail-From: <bounce+d5678@Bounces.Example.ORG>
            Original-Rcpt-To: <reader@ISP.example.net>
            Arrival-Date: Wed, 4 Mar 2026 07:58:12 +0000
            Source-IP: 198.51.100.7
            Reported-Domain: example.org

            --arf_boundary_9x
            Content-Type: message/rfc822
            Content-Disposition: inline

            Return-Path: <bounce+d5678@bounces.example.org>
            From: Gazette <news@example.org>
            To: Reader <reader@isp.example.net>
            Subject: This week in Gazette
            Message-ID: <d5678.aa@gazette.example.org>
            Date: Tue, 3 Mar 2026 10:14:57 +0000

            Hello, here is this week's issue.

            --arf_boundary_9x--
            """;

    @Test
    void postfixDsnGivesOneReportPerFailedOrDelayedRecipient() {
        List<BounceReport> reports = parse(POSTFIX_DSN, null);

        assertEquals(List.of(
                new BounceReport(Kind.HARD_BOUNCE, "nobody@example.net", VERP, ORIGINAL_ID, "5.1.1",
                        "smtp; 550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown in virtual mailbox table"),
                new BounceReport(Kind.SOFT_BOUNCE, "full@example.com", VERP, ORIGINAL_ID, "4.2.2",
                        "smtp; 452 4.2.2 <full@example.com>: Mailbox full")), reports);
    }

    @Test
    void envelopeHintFromTheMtaWinsOverHeaders() {
        List<BounceReport> reports = parse(POSTFIX_DSN, "Bounce+D1234@Bounces.Example.ORG");

        assertEquals("Bounce+D1234@bounces.example.org", reports.get(0).envelopeTo());
    }

    @Test
    void crlfLineEndingsParseTheSame() {
        assertEquals(parse(POSTFIX_DSN, null), parse(POSTFIX_DSN.replace("\n", "\r\n"), null));
    }

    @Test
    void failedWithTransientStatusIsSoft() {
        String dsn = POSTFIX_DSN.replace("Status: 5.1.1", "Status: 4.4.7");

        assertEquals(Kind.SOFT_BOUNCE, parse(dsn, null).get(0).kind());
    }

    @Test
    void messageIdComesFromReturnedHeadersAndEnvelopeFromToWithoutHint() {
        List<BounceReport> reports = parse(HEADERS_ONLY_DSN, null);

        assertEquals(List.of(new BounceReport(Kind.HARD_BOUNCE, "gone@relay.example.com", "bounce+d99@bounces.example.org",
                "<d99.c0ffee@gazette.example.org>", "5.2.1",
                "SMTP; 550 5.2.1 <gone@relay.example.com>... Mailbox disabled for this recipient")), reports);
    }

    @Test
    void arfComplaintNamesTheReaderAndTheOriginalEnvelopeSender() {
        List<BounceReport> reports = parse(ARF, "fbl-reports@example.org");

        assertEquals(List.of(new BounceReport(Kind.COMPLAINT, "reader@isp.example.net", "bounce+d5678@bounces.example.org",
                "<d5678.aa@gazette.example.org>", null, "abuse")), reports);
    }

    @Test
    void arfWithoutOriginalFieldsFallsBackToReturnedMessage() {
        String redacted = ARF.replace("Original-Mail-From: <bounce+d5678@Bounces.Example.ORG>\n", "")
                .replace("Original-Rcpt-To: <reader@ISP.example.net>\n", "");

        assertEquals(List.of(new BounceReport(Kind.COMPLAINT, "reader@isp.example.net", "bounce+d5678@bounces.example.org",
                "<d5678.aa@gazette.example.org>", null, "abuse")), parse(redacted, null));
    }

    @Test
    void ordinaryMessageIsNoReport() {
        String autoReply = """
                From: Reader <reader@example.net>
                To: bounce+d1234@bounces.example.org
                Subject: Out of office
                Auto-Submitted: auto-replied
                Content-Type: text/plain; charset=UTF-8

                I am away until Monday.
                """;

        assertTrue(parse(autoReply, null).isEmpty());
    }

    @Test
    void readReceiptIsNoReport() {
        String mdn = ARF.replace("report-type=feedback-report", "report-type=disposition-notification")
                .replace("message/feedback-report", "message/disposition-notification");

        assertTrue(parse(mdn, null).isEmpty());
    }

    @Test
    void garbageIsRejected() {
        BounceFormatException e = assertThrows(BounceFormatException.class,
                () -> parse("this is not a mail message\n\u0000\u0001\u0002 at all\n", null));

        assertEquals("body", e.field());
    }

    @Test
    void jsonIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> parse("{\"notificationType\": \"Bounce\"}", null));
    }

    @Test
    void reportWithoutStatusPartIsRejected() {
        String broken = POSTFIX_DSN.replace("Content-Type: message/delivery-status", "Content-Type: text/plain");

        BounceFormatException e = assertThrows(BounceFormatException.class, () -> parse(broken, null));
        assertEquals("message/delivery-status", e.field());
    }

    @Test
    void statusPartWithoutFieldsIsRejected() {
        String broken = POSTFIX_DSN.replace("Reporting-MTA: dns; mail.example.org", "Reporting MTA is mail.example.org");

        BounceFormatException e = assertThrows(BounceFormatException.class, () -> parse(broken, null));
        assertEquals("message/delivery-status", e.field());
    }

    @Test
    void reportWithoutBoundariesIsRejected() {
        String broken = POSTFIX_DSN.replace("--7C0E21A0F3.1772532902/mail.example.org", "");

        assertThrows(BounceFormatException.class, () -> parse(broken, null));
    }

    private static List<BounceReport> parse(String message, String hint) {
        return DsnParser.parse(new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)), hint);
    }
}
