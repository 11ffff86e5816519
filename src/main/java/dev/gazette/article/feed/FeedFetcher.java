package dev.gazette.article.feed;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Locale;
import java.util.Optional;

import jakarta.inject.Singleton;

import dev.gazette.common.PrivateAddresses;

/**
 * Fetches feed documents with conditional GET, a size cap, timeouts, a bounded number of redirects and no requests
 * to non-public addresses (unless allowed by configuration).
 */
@Singleton
public class FeedFetcher {

    static final String USER_AGENT = "Gazette feed importer";

    private final FeedsConfig config;
    private final HttpClient client;

    FeedFetcher(FeedsConfig config) {
        this.config = config;
        this.client = HttpClient.newBuilder().connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The outcome of a fetch that reached the server. */
    public record Result(boolean notModified, byte[] body, String etag, String lastModified) {
    }

    /** A fetch that failed, with a message an editor can act on. */
    public static class FetchException extends Exception {
        FetchException(String message) {
            super(message, null, false, false);
        }
    }

    public Result fetch(String url, String etag, String lastModified) throws FetchException {
        URI uri = check(url);
        for (int hop = 0; hop <= config.maxRedirects(); hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(config.requestTimeout()).GET()
                    .header("User-Agent", USER_AGENT)
                    .header("Accept", "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5");
            if (hop == 0 && etag != null) {
                request.header("If-None-Match", etag);
            }
            if (hop == 0 && lastModified != null) {
                request.header("If-Modified-Since", lastModified);
            }
            HttpResponse<InputStream> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (HttpTimeoutException e) {
                throw new FetchException("Timed out fetching " + uri);
            } catch (IOException e) {
                throw new FetchException("Cannot reach " + uri.getHost() + ": " + describe(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FetchException("Interrupted");
            }
            int status = response.statusCode();
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                closeQuietly(response.body());
                Optional<String> location = response.headers().firstValue("Location");
                if (location.isEmpty()) {
                    throw new FetchException("Redirect without a Location from " + uri);
                }
                uri = check(uri.resolve(location.get()).toString());
                continue;
            }
            if (status == 304) {
                closeQuietly(response.body());
                return new Result(true, null, etag, lastModified);
            }
            if (status != 200) {
                closeQuietly(response.body());
                throw new FetchException("The server answered HTTP " + status + " for " + uri);
            }
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > config.maxBytes()) {
                closeQuietly(response.body());
                throw tooLarge();
            }
            byte[] body = read(response.body());
            return new Result(false, body, response.headers().firstValue("ETag").orElse(null),
                    response.headers().firstValue("Last-Modified").orElse(null));
        }
        throw new FetchException("More than " + config.maxRedirects() + " redirects from " + url);
    }

    /** Checks that a URL is http(s) and, unless allowed, that its host resolves to public addresses only. */
    public URI check(String url) throws FetchException {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new FetchException("Not a valid URL: " + url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new FetchException("Only http and https URLs can be fetched: " + url);
        }
        if (!config.allowPrivateAddresses()) {
            try {
                InetAddress internal = PrivateAddresses.firstNonPublic(uri.getHost());
                if (internal != null) {
                    throw new FetchException(uri.getHost() + " points to a non-public address (" + internal.getHostAddress()
                            + "); set gazette.feeds.allow-private-addresses=true to allow it");
                }
            } catch (UnknownHostException e) {
                throw new FetchException("Unknown host " + uri.getHost());
            }
        }
        return uri;
    }

    private byte[] read(InputStream in) throws FetchException {
        try (in) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, config.maxBytes() + 1));
            if (body.length > config.maxBytes()) {
                throw tooLarge();
            }
            return body;
        } catch (IOException e) {
            throw new FetchException("Reading the feed failed: " + describe(e));
        }
    }

    private FetchException tooLarge() {
        long max = config.maxBytes();
        return new FetchException("The feed is larger than "
                + (max >= 1024 * 1024 ? max / (1024 * 1024) + " MB" : max / 1024 + " KB"));
    }

    private static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing more to read
        }
    }
}
