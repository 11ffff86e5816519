package dev.gazette.mail;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.ext.mail.SMTPException;

/**
 * How a failed send is judged: a 5xx reply is permanent (and a rejected recipient is a hard bounce), anything else
 * (4xx, timeout, no connection) is worth another attempt later.
 */
public record SmtpReply(int code, String enhanced, String text, boolean aboutRecipient) {

    private static final Pattern ENHANCED = Pattern.compile("\\b([245])\\.(\\d{1,3})\\.(\\d{1,3})\\b");
    private static final Pattern CODE = Pattern.compile("\\b([245]\\d\\d)\\b");

    public static SmtpReply of(Throwable failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        int code = 0;
        // Whether a permanent refusal can be about the reader's mailbox: not when our envelope sender or the
        // message was refused, nor when the message could not be sent at all.
        boolean aboutRecipient = true;
        if (failure instanceof SMTPException smtp) {
            code = smtp.getReplyCode();
            message = smtp.getReplyMessage() != null ? smtp.getReplyCode() + " " + smtp.getReplyMessage() : message;
        } else if (failure instanceof SmtpRefusal refused) {
            code = refused.code();
            message = refused.getMessage();
            aboutRecipient = refused.step() == SmtpRefusal.Step.RECIPIENT
                    || refused.step() == SmtpRefusal.Step.CONTENT;
        } else if (failure instanceof IllegalArgumentException) {
            // A message the bulk writer cannot send as it is (no recipient, an attachment): retrying cannot help.
            code = 554;
            message = "not sent: " + message;
            aboutRecipient = false;
        } else if (failure instanceof java.io.IOException) {
            // No connection, a lost one, a refused greeting or login: nothing about this message; try again later.
            code = 0;
        } else {
            Matcher m = CODE.matcher(message);
            if (m.find()) {
                code = Integer.parseInt(m.group(1));
            }
        }
        if (failure instanceof java.util.concurrent.TimeoutException || failure instanceof io.smallrye.mutiny.TimeoutException
                || causedBy(failure, java.net.SocketTimeoutException.class)) {
            message = "no answer from the SMTP server in time (" + message + ")";
            code = 0;
        }
        Matcher enhanced = ENHANCED.matcher(message);
        String status = enhanced.find() ? enhanced.group() : null;
        return new SmtpReply(code, status, message.replaceAll("[\\r\\n]+", " ").strip(), aboutRecipient);
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < 8; depth++) {
            if (type.isInstance(current)) {
                return true;
            }
            current = current.getCause() == current ? null : current.getCause();
        }
        return false;
    }

    public boolean permanent() {
        return code >= 500 && code < 600;
    }

    /**
     * A permanent failure that is about the mailbox (unknown user, mailbox disabled, bad address), not about us
     * (policy, content, authentication): only those suppress the address.
     */
    public boolean recipientRejected() {
        if (!permanent() || !aboutRecipient) {
            return false;
        }
        if (enhanced != null) {
            // 5.1.7 and 5.1.8 are about the sender's address (RFC 3463), not the recipient's.
            return enhanced.startsWith("5.1.") && !enhanced.equals("5.1.7") && !enhanced.equals("5.1.8") || enhanced.equals("5.2.1");
        }
        return code == 550 || code == 551 || code == 553;
    }
}
