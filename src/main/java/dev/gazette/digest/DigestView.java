package dev.gazette.digest;

/**
 * What the digest layout needs: the shared parts of the issue, pre-rendered article blocks, the reader's own links, and
 * the newsletter's look and legal footer (accent colour, footer text, postal address; the last two may be null), and
 * the issue's preheader (hidden preview text) and editor's note (null without one).
 */
public record DigestView(String site, String siteUrl, String newsletter, String description, String issueLabel, String greeting,
        String itemsHtml, String itemsText, String alsoReadHtml, String alsoReadText, String webUrl, String preferencesUrl,
        String unsubscribeUrl, String pixelUrl, String accent, String footerText, String postalAddress, String preheader,
        String noteHtml, String noteText, String logoUrl) {
}
