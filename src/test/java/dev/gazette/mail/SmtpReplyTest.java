package dev.gazette.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Constructor;

import org.junit.jupiter.api.Test;

import dev.gazette.mail.SmtpReply;

/** Which failures retry, which fail, and which of those suppress the reader's address. */
class SmtpReplyTest {

    private static SmtpRefusal refusal(int code, String text, SmtpRefusal.Step step) throws Exception {
        Constructor<SmtpRefusal> constructor = SmtpRefusal.class.getDeclaredConstructor(int.class, String.class, SmtpRefusal.Step.class);
        constructor.setAccessible(true);
        return constructor.newInstance(code, text, step);
    }

    @Test
    void shouldSuppressOnlyWhenTheReadersMailboxWasRefused() throws Exception {
        SmtpReply unknownUser = SmtpReply.of(refusal(550, "550 5.1.1 <r@example.org>: User unknown", SmtpRefusal.Step.RECIPIENT));
        assertTrue(unknownUser.permanent());
        assertTrue(unknownUser.recipientRejected());

        SmtpReply badSender = SmtpReply.of(refusal(553, "553 5.1.8 <bounce@news.example.org>: Sender address rejected",
                SmtpRefusal.Step.SENDER));
        assertTrue(badSender.permanent());
        assertFalse(badSender.recipientRejected(), "our envelope sender was refused, not the reader");
        assertFalse(SmtpReply.of(refusal(550, "550 Sender rejected", SmtpRefusal.Step.SENDER)).recipientRejected());
        assertFalse(SmtpReply.of(refusal(550, "550 5.1.7 Bad sender's mailbox address syntax", SmtpRefusal.Step.CONTENT))
                .recipientRejected(), "5.1.7 is about the sender whatever the step");
        assertFalse(SmtpReply.of(refusal(554, "554 5.7.1 Rejected by policy", SmtpRefusal.Step.CONTENT)).recipientRejected());
    }

    @Test
    void shouldRetryTemporaryAndSessionFailuresAndFailUnsendableMessages() throws Exception {
        assertFalse(SmtpReply.of(refusal(451, "451 4.3.0 Try later", SmtpRefusal.Step.RECIPIENT)).permanent());
        SmtpReply login = SmtpReply.of(new IOException("Cannot open an SMTP session with relay:587: 535 5.7.8 Bad credentials"));
        assertFalse(login.permanent(), "a refused login is retried, it says nothing about the message");
        assertEquals(0, login.code());
        SmtpReply unsendable = SmtpReply.of(new IllegalArgumentException("The message has no recipient"));
        assertTrue(unsendable.permanent());
        assertFalse(unsendable.recipientRejected());
    }
}
