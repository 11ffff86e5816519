package dev.gazette.social.spi;

import java.util.List;
import java.util.function.IntFunction;

/**
 * Fits a post into a network's limit without ever cutting its link: it drops hashtags from the end first, then
 * shortens the summary, then the title, each by whole grapheme clusters with an ellipsis.
 */
public final class TextFit {

    /** Renders a channel's template with the given values. */
    @FunctionalInterface
    public interface Template {
        String render(String title, String summary, String hashtags, String link);
    }

    private TextFit() {
    }

    public static String fit(Template template, String title, String summary, List<String> hashtags, String link,
            TextRules rules) {
        String safeSummary = summary == null ? "" : summary;
        for (int tags = hashtags.size(); tags >= 0; tags--) {
            String text = render(template, title, safeSummary, String.join(" ", hashtags.subList(0, tags)), link);
            if (rules.fits(text)) {
                return text;
            }
        }
        String shortSummary = longestFitting(Graphemes.count(safeSummary),
                n -> render(template, title, Graphemes.truncate(safeSummary, n), "", link), rules);
        if (shortSummary != null) {
            return shortSummary;
        }
        String shortTitle = longestFitting(Graphemes.count(title),
                n -> render(template, Graphemes.truncate(title, n), "", "", link), rules);
        if (shortTitle != null) {
            return shortTitle;
        }
        return link; // the template's own words do not fit: the link alone still makes a useful post
    }

    /** Binary search for the longest candidate that fits; null when even the shortest does not. */
    private static String longestFitting(int max, IntFunction<String> candidate, TextRules rules) {
        String best = null;
        int low = 0;
        int high = max;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            String text = candidate.apply(mid);
            if (rules.fits(text)) {
                best = text;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return best;
    }

    /** Renders and tidies: trailing spaces per line, runs of blank lines left by empty values, outer whitespace. */
    static String render(Template template, String title, String summary, String hashtags, String link) {
        String text = template.render(title, summary, hashtags, link);
        return text.replaceAll("[ \\t]+\\n", "\n").replaceAll("\\n{3,}", "\n\n").strip();
    }
}
