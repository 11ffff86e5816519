package dev.gazette.digest;

import java.util.Locale;

/** Whether a colour stays readable as link text on the digest's white page (WCAG 2 contrast). */
final class Colours {

    /** WCAG AA for body-size text. */
    static final double MIN_CONTRAST = 4.5;

    private Colours() {
    }

    /** Null when {@code hex} (#rrggbb) reads on white; otherwise what is wrong and what to do. */
    static String tooLightOnWhite(String hex) {
        double ratio = contrastOnWhite(hex);
        if (ratio >= MIN_CONTRAST) {
            return null;
        }
        return String.format(Locale.ROOT, "%s is too light on the digest's white page (contrast %.1f:1): links in it would be"
                + " hard to read. Choose a darker colour, with at least %.1f:1", hex, ratio, MIN_CONTRAST);
    }

    static double contrastOnWhite(String hex) {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        double l = 0.2126 * channel(rgb >> 16 & 0xff) + 0.7152 * channel(rgb >> 8 & 0xff) + 0.0722 * channel(rgb & 0xff);
        return 1.05 / (l + 0.05);
    }

    private static double channel(int value) {
        double c = value / 255.0;
        return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
}
