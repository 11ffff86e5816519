package dev.gazette.link;

import java.util.List;
import java.util.Locale;

/**
 * Tells link unfurlers, crawlers, mail link scanners and scripts from people by their User-Agent. They still get the
 * redirect (previews need the article's meta tags) but are counted as previews, not clicks, nor as a reader's activity.
 */
public final class BotFilter {

    /** Longest part of a User-Agent looked at; real ones are shorter, and this bounds the work per request. */
    static final int MAX_LENGTH = 512;

    /** Lower-case fragments, named networks first, then generic words and HTTP libraries. */
    static final List<String> FRAGMENTS = List.of(
            // Fediverse servers fetching previews: Mastodon "http.rb/5.1.1 (Mastodon/4.2.0; +https://instance/)"
            "http.rb/", "mastodon/", "pleroma", "akkoma", "misskey", "gotosocial", "friendica",
            // social networks and messengers
            "facebookexternalhit", "facebot", "meta-externalagent", "twitterbot", "linkedinbot", "slackbot",
            "slack-imgproxy", "discordbot", "telegrambot", "cardyb", "whatsapp", "skypeuripreview", "pinterest",
            "embedly", "iframely", "vkshare", "redditbot", "mattermost",
            // mail security gateways that follow every link of a message on delivery (many also send a browser's
            // User-Agent: the scanner window catches those), and Office apps checking a link before opening it
            "safelinks", "ms-office", "msoffice", "microsoft office", "proofpoint", "mimecast", "barracuda", "ironport",
            "messagelabs", "symantec", "forcepoint", "sophos", "trendmicro", "fireeye", "zscaler", "appriver",
            // search engines
            "googlebot", "google-inspectiontool", "bingbot", "applebot", "duckduckbot", "yandex", "baiduspider",
            // generic words
            "bot", "crawler", "spider", "preview", "fetch", "scrape", "headless", "lighthouse",
            // scripts and HTTP libraries
            "curl/", "wget/", "python-requests", "python-urllib", "python-httpx", "aiohttp", "go-http-client",
            "java/", "java-http-client", "okhttp", "apache-httpclient", "libwww-perl", "axios/", "node-fetch", "undici", "httpie");

    /** Real devices whose names contain a fragment above. */
    private static final List<String> HUMAN_EXCEPTIONS = List.of("cubot");

    private BotFilter() {
    }

    public static boolean isBot(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return true;
        }
        String ua = (userAgent.length() > MAX_LENGTH ? userAgent.substring(0, MAX_LENGTH) : userAgent).toLowerCase(Locale.ROOT);
        for (String exception : HUMAN_EXCEPTIONS) {
            if (ua.contains(exception)) {
                ua = ua.replace(exception, "");
            }
        }
        for (String fragment : FRAGMENTS) {
            if (ua.contains(fragment)) {
                return true;
            }
        }
        return false;
    }
}
