package dev.gazette.lifecycle;

import java.util.List;

import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An endpoint as editors write it; on update, omitted fields keep their value.
 */
public record WebhookEndpointInput(
        @Schema(examples = "CRM sync") @Size(max = 200) String name,
        @Schema(description = "The receiver; http or https", examples = "https://crm.example.com/hooks/gazette")
        @Size(max = 2000) String url,
        @Schema(description = "Write-only signing secret, at least 16 characters: never returned. On update, omitted keeps the stored one.")
        @Size(max = 500) String secret,
        @Schema(description = "Event types to deliver; empty or omitted on creation delivers every type",
                examples = "[\"subscriber.confirmed\", \"subscriber.unsubscribed\"]") List<String> events,
        @Schema(description = "Whether events are delivered (default true)") Boolean active) {
}
