package dev.gazette.link;

/**
 * UTM parameters a tracked link adds to its target; null or blank values are left out.
 */
public record Utm(String source, String medium, String campaign, String content, String term) {

    public static final Utm NONE = new Utm(null, null, null, null, null);

    /** The usual parameters of a social post: {@code utm_source=<network>, utm_medium=social, utm_campaign=<slug>}. */
    public static Utm social(String network, String campaign) {
        return new Utm(network, "social", campaign, null, null);
    }
}
