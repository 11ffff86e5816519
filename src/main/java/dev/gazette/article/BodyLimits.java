package dev.gazette.article;

import java.util.Locale;
import java.util.Set;

/**
 * Bounds the work a body can cause before commonmark and jsoup see it: their cost grows faster than the length with
 * deep nesting (and the renderers recurse), so a body is measured first with linear scans that never recurse.
 */
final class BodyLimits {

    /** Elements that hold nothing, and elements whose end tag HTML lets one omit (the next sibling closes them). */
    private static final Set<String> NOT_NESTING = Set.of("area", "base", "br", "col", "embed", "hr", "img", "input",
            "link", "meta", "source", "track", "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th",
            "thead", "tbody", "tfoot", "rp", "rt", "colgroup", "caption");

    private final int maxLength;
    private final int maxDepth;

    BodyLimits(int maxLength, int maxDepth) {
        this.maxLength = maxLength;
        this.maxDepth = maxDepth;
    }

    /** Throws when the source is too long or, for Markdown, its block quotes and lists nest too deep on one line. */
    void checkSource(BodyFormat format, String source) {
        if (source.length() > maxLength) {
            throw new ArticleRenderer.TooComplex("must be at most " + maxLength + " characters (it has " + source.length() + ")");
        }
        if (format == BodyFormat.MARKDOWN) {
            checkMarkdownContainers(source);
        } else {
            checkHtml(source);
        }
    }

    /** Throws when elements nest deeper than allowed; a linear scan of the tags, not a parse. */
    void checkHtml(String html) {
        int depth = 0;
        int n = html.length();
        for (int i = html.indexOf('<'); i >= 0 && i < n - 1; i = html.indexOf('<', i + 1)) {
            if (html.startsWith("<!--", i)) {
                int end = html.indexOf("-->", i + 4);
                if (end < 0) {
                    return;
                }
                i = end + 2;
                continue;
            }
            boolean closing = html.charAt(i + 1) == '/';
            int start = closing ? i + 2 : i + 1;
            int end = start;
            while (end < n && isNameChar(html.charAt(end))) {
                end++;
            }
            if (end == start || !Character.isLetter(html.charAt(start))) {
                continue;
            }
            int close = html.indexOf('>', end);
            if (close < 0) {
                return; // no tag ends after this one
            }
            String name = html.substring(start, Math.min(end, start + 12)).toLowerCase(Locale.ROOT);
            if (NOT_NESTING.contains(name)) {
                i = close;
                continue;
            }
            if (closing) {
                depth = Math.max(0, depth - 1);
            } else if (html.charAt(close - 1) != '/' && ++depth > maxDepth) {
                throw tooDeep();
            }
            i = close;
        }
    }

    /**
     * Block quotes and list items open containers with a marker each ({@code > > - 1. > ...}): several on one line
     * nest that deep. Nesting by indentation costs more characters per level, so the length bounds it.
     */
    private void checkMarkdownContainers(String source) {
        int depth = 0;
        int n = source.length();
        for (int i = 0; i < n; i++) {
            char c = source.charAt(i);
            if (c == '\n' || c == '\r') {
                depth = 0;
            } else if (depth >= 0) {
                if (c == '>' || ((c == '-' || c == '+' || c == '*') && i + 1 < n && isBlank(source.charAt(i + 1)))) {
                    if (++depth > maxDepth) {
                        throw tooDeep();
                    }
                } else if (Character.isDigit(c)) {
                    int j = i;
                    while (j < n && j - i < 9 && Character.isDigit(source.charAt(j))) {
                        j++;
                    }
                    if (j + 1 < n && (source.charAt(j) == '.' || source.charAt(j) == ')') && isBlank(source.charAt(j + 1))) {
                        if (++depth > maxDepth) {
                            throw tooDeep();
                        }
                        i = j;
                    } else {
                        depth = -1; // text: no more markers on this line
                    }
                } else if (!isBlank(c)) {
                    depth = -1;
                }
            }
        }
    }

    private ArticleRenderer.TooComplex tooDeep() {
        return new ArticleRenderer.TooComplex("must not nest elements, quotes or lists more than " + maxDepth + " deep");
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '-' || c == ':';
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
