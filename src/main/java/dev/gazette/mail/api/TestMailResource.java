package dev.gazette.mail.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.gazette.mail.TestMailSender;

/**
 * Lets an administrator check the mail set-up by sending one message.
 */
@Path("/api/v1/mail/test")
@Tag(name = "Operations")
@SecurityRequirement(name = "apiToken")
public class TestMailResource {

    private final TestMailSender sender;

    TestMailResource(TestMailSender sender) {
        this.sender = sender;
    }

    /** Request to send a test message. */
    public record TestMailRequest(@NotBlank @Email String to) {
    }

    /** Where the message went. */
    public record TestMailResult(String transport) {
    }

    @POST
    @RolesAllowed("admin")
    @Operation(summary = "Send a test message", description = "Sends a short message to the given address through the "
            + "configured transport (SMTP, or the file outbox when no SMTP host is set).")
    public Response send(@Valid TestMailRequest request) {
        return Response.accepted(new TestMailResult(sender.send(request.to()))).build();
    }
}
