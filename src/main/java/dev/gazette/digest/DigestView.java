package dev.gazette.digest;

/**
 * What the digest layout needs: the shared parts of the issue, pre-rendered article blocks, and the reader's own links.
 */
public record DigestView(String site, String siteUrl, String newsletter, String description, String issueLabel, String greeting,
        String itemsHtml, String itemsText, String alsoReadHtml, String alsoReadText, String webUrl, String preferencesUrl,
        String unsubscribeUrl, String pixelUrl) {
}
