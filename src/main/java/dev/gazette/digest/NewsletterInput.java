package dev.gazette.digest;

import java.util.List;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A newsletter as editors write it; on update, omitted fields keep their value.
 */
public record NewsletterInput(
        @Schema(examples = "World this morning") @Size(min = 1, max = 200) String name,
        @Schema(description = "Generated from the name when omitted", examples = "world-morning") @Size(max = 100) String slug,
        @Size(max = 2000) String description,
        @Schema(description = "Topic slugs; empty or omitted covers every topic", examples = "[\"world\", \"climate\"]") List<String> topics,
        @Schema(examples = "DAILY") Cadence cadence,
        @Schema(description = "Day of a weekly newsletter, and the day weekly readers get a daily one", examples = "MONDAY")
        @Pattern(regexp = "(?i)MONDAY|TUESDAY|WEDNESDAY|THURSDAY|FRIDAY|SATURDAY|SUNDAY", message = "must be a day of the week, e.g. MONDAY") String weeklyDay,
        @Schema(description = "Local time in each reader's own time zone, HH:mm", examples = "07:00")
        @Pattern(regexp = "([01]\\d|2[0-3]):[0-5]\\d", message = "must be a time of day as HH:mm") String sendTime,
        @Schema(examples = "Gazette World") @Size(max = 200) String fromName,
        @Schema(examples = "world@news.example.org") @Email @Size(max = 320) String fromAddress,
        @Email @Size(max = 320) String replyTo,
        @Schema(description = "RFC 2919 list identifier; default <slug>.<site host>", examples = "world.news.example.org")
        @Size(max = 200) @Pattern(regexp = "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+",
                message = "must look like a domain name, e.g. world.news.example.org") String listId,
        @Min(1) @Max(50) Integer maxItems,
        DigestTemplate template,
        @Schema(description = "Digest links go through tracked links (off by default)") Boolean trackLinks,
        @Schema(description = "Adds an open-tracking pixel (off by default: opens are unreliable and intrusive)") Boolean trackOpens,
        Boolean active,
        @Schema(description = "Colour of the digest's heading rule and links, #rrggbb, dark enough to read on white (at least 4.5:1); empty for the default", examples = "#8a1538")
        @Pattern(regexp = "|#[0-9a-fA-F]{6}", message = "must be a colour as #rrggbb, e.g. #8a1538") String accentColor,
        @Schema(description = "Plain text at the foot of every digest; empty for none") @Size(max = 1000) String footerText,
        @Schema(description = "The sender's postal address, printed in every digest (the US CAN-SPAM Act requires one in commercial mail); several lines allowed",
                examples = "Gazette Media, 12 Harbour Street, Bristol BS1 4RN, United Kingdom") @Size(max = 500) String postalAddress) {

    /** A newsletter without a say on its look and footer (they keep their value on update). */
    public NewsletterInput(String name, String slug, String description, List<String> topics, Cadence cadence, String weeklyDay,
            String sendTime, String fromName, String fromAddress, String replyTo, String listId, Integer maxItems,
            DigestTemplate template, Boolean trackLinks, Boolean trackOpens, Boolean active) {
        this(name, slug, description, topics, cadence, weeklyDay, sendTime, fromName, fromAddress, replyTo, listId, maxItems,
                template, trackLinks, trackOpens, active, null, null, null);
    }
}
