package dev.gazette.admin.web;

import java.time.DayOfWeek;
import java.util.List;
import java.util.Map;

import org.jboss.resteasy.reactive.RestForm;

import dev.gazette.digest.Cadence;
import dev.gazette.digest.DigestTemplate;
import dev.gazette.digest.Newsletter;
import dev.gazette.digest.NewsletterInput;

/** A newsletter as the form holds it: what was typed, kept as typed when it is sent back with errors. */
public record NewsletterForm(Long id, String name, String slug, String description, List<String> topics, String cadence,
        String weeklyDay, String sendTime, String fromName, String fromAddress, String replyTo, String listId,
        String maxItems, String template, boolean trackLinks, boolean trackOpens, boolean active, String accentColor,
        String footerText, String postalAddress) {

    /** The form's fields as posted; {@link #form(Long)} turns them into the form. */
    public static class Fields {
        @RestForm public String name;
        @RestForm public String slug;
        @RestForm public String description;
        @RestForm public List<String> topic;
        @RestForm public String cadence;
        @RestForm public String weeklyDay;
        @RestForm public String sendTime;
        @RestForm public String fromName;
        @RestForm public String fromAddress;
        @RestForm public String replyTo;
        @RestForm public String listId;
        @RestForm public String maxItems;
        @RestForm public String template;
        @RestForm public String trackLinks;
        @RestForm public String trackOpens;
        @RestForm public String active;
        @RestForm public String accentColor;
        @RestForm public String footerText;
        @RestForm public String postalAddress;

        NewsletterForm form(Long id) {
            return new NewsletterForm(id, name, slug, description, topic == null ? List.of() : topic, cadence, weeklyDay,
                    sendTime, fromName, fromAddress, replyTo, listId, maxItems, template, trackLinks != null, trackOpens != null,
                    active != null, accentColor, footerText, postalAddress);
        }
    }

    static NewsletterForm blank() {
        return new NewsletterForm(null, "", "", "", List.of(), Cadence.DAILY.name(), DayOfWeek.MONDAY.name(), "07:00", "", "",
                "", "", "10", DigestTemplate.STANDARD.name(), false, false, true, "", "", "");
    }

    static NewsletterForm of(Newsletter n) {
        return new NewsletterForm(n.id, n.name, n.slug, n.description == null ? "" : n.description,
                n.allTopics ? List.of() : n.topics.stream().map(t -> t.slug).toList(), n.cadence.name(), n.weeklyDay.name(),
                n.sendTime.toString(), n.fromName == null ? "" : n.fromName, n.fromAddress, n.replyTo == null ? "" : n.replyTo,
                n.listId, Integer.toString(n.maxItems), n.template.name(), n.trackLinks, n.trackOpens, n.active,
                n.accentColor == null ? "" : n.accentColor, n.footerText == null ? "" : n.footerText,
                n.postalAddress == null ? "" : n.postalAddress);
    }

    /**
     * The API's input from the form. A form sends every field, so blank means "none" for the optional ones and is an
     * error for the required ones (the API would keep the old value of an omitted field).
     */
    static NewsletterInput input(NewsletterForm f, Map<String, String> errors) {
        for (String[] required : new String[][] { { "name", f.name() }, { "sendTime", f.sendTime() },
                { "fromAddress", f.fromAddress() } }) {
            if (blank(required[1])) {
                errors.put(required[0], "must not be blank");
            }
        }
        Cadence cadence = null;
        if (blank(f.cadence())) {
            errors.put("cadence", "must not be blank");
        } else {
            try {
                cadence = Cadence.valueOf(f.cadence());
            } catch (IllegalArgumentException e) {
                errors.put("cadence", "must be DAILY or WEEKLY");
            }
        }
        DigestTemplate template = null;
        if (!blank(f.template())) {
            try {
                template = DigestTemplate.valueOf(f.template());
            } catch (IllegalArgumentException e) {
                errors.put("template", "must be STANDARD or COMPACT");
            }
        }
        Integer maxItems = null;
        if (!blank(f.maxItems())) {
            try {
                maxItems = Integer.valueOf(f.maxItems().strip());
            } catch (NumberFormatException e) {
                errors.put("maxItems", "must be a whole number");
            }
        }
        return new NewsletterInput(blankToNull(f.name()), blankToNull(f.slug()), f.description() == null ? "" : f.description(),
                f.topics(), cadence, blankToNull(f.weeklyDay()), blankToNull(f.sendTime()),
                f.id() == null ? blankToNull(f.fromName()) : (f.fromName() == null ? "" : f.fromName()),
                blankToNull(f.fromAddress()), f.replyTo() == null ? "" : f.replyTo().strip(), blankToNull(f.listId()), maxItems,
                template, f.trackLinks(), f.trackOpens(), f.active(), emptyIfNull(f.accentColor()), emptyIfNull(f.footerText()),
                emptyIfNull(f.postalAddress()));
    }

    private static String emptyIfNull(String s) {
        return s == null ? "" : s.strip();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String blankToNull(String s) {
        return blank(s) ? null : s.strip();
    }
}
