package dev.gazette.social.spi;

import java.util.List;
import java.util.function.IntFunction;

/**
 * Fits a post into a network's limit without ever cutting its link: it shortens the summary first, then drops
 * hashtags from the end (they help readers find the post), then shortens the title; text is cut by whole grapheme
 * clusters and marked with an ellipsis.
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
        int summaryLength = Graphemes.count(safeSummary);
        for (int tags = hashtags.size(); tags >= 0; tags--) {
            String tagText = String.join(" ", hashtags.subList(0, tags));
            String text = longestFitting(summaryLength,
                    n -> render(template, title, Graphemes.truncate(safeSummary, n), tagText, link), rules);
            if (text != null) {
                return text;
            }
        }
        String shortTitle = longestFitting(Graphemes.count(title),
                n -> render(template, Graphemes.truncate(title, n), "", "", link), rules);
        return shortTitle != null ? shortTitle : link; // the template's own words do not fit: the link alone still helps
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
