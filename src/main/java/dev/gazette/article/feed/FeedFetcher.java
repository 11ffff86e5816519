package dev.gazette.article.feed;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;

import dev.gazette.common.GuardedHttpClients;
import dev.gazette.common.PublicAddressResolver;

/**
 * Fetches feed documents with conditional GET, a size cap, timeouts, a bounded number of redirects and no requests
 * to non-public addresses (unless allowed by configuration): each hop connects to the addresses its resolver checked.
 */
@Singleton
public class FeedFetcher {

    static final String USER_AGENT = "Gazette feed importer";

    private final FeedsConfig config;
    private final PublicAddressResolver resolver;
    private final CloseableHttpClient client;

    @Inject
    FeedFetcher(FeedsConfig config) {
        this(config, new PublicAddressResolver(config.allowPrivateAddresses()));
    }

    FeedFetcher(FeedsConfig config, PublicAddressResolver resolver) {
        this.config = config;
        this.resolver = resolver;
        this.client = GuardedHttpClients.create(resolver, config.connectTimeout(), config.requestTimeout());
    }

    @PreDestroy
    void close() throws IOException {
        client.close();
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
            HttpGet request = new HttpGet(uri);
            request.setHeader("User-Agent", USER_AGENT);
            request.setHeader("Accept", "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5");
            if (hop == 0 && etag != null) {
                request.setHeader("If-None-Match", etag);
            }
            if (hop == 0 && lastModified != null) {
                request.setHeader("If-Modified-Since", lastModified);
            }
            Object outcome;
            try {
                URI current = uri;
                outcome = client.execute(request, response -> read(current, response, etag, lastModified));
            } catch (PublicAddressResolver.RefusedAddress e) {
                throw new FetchException(privateAddress(e));
            } catch (UnknownHostException e) {
                throw new FetchException("Unknown host " + uri.getHost());
            } catch (InterruptedIOException e) {
                throw new FetchException("Timed out fetching " + uri);
            } catch (IOException e) {
                throw new FetchException("Cannot reach " + uri.getHost() + ": " + describe(e));
            }
            if (outcome instanceof Result result) {
                return result;
            }
            if (outcome instanceof FetchException e) {
                throw e;
            }
            uri = check(uri.resolve((String) outcome).toString()); // a redirect: the next hop is checked again
        }
        throw new FetchException("More than " + config.maxRedirects() + " redirects from " + url);
    }

    /** A {@link Result}, a {@link FetchException}, or the Location of a redirect. */
    private Object read(URI uri, ClassicHttpResponse response, String etag, String lastModified) throws IOException {
        int status = response.getCode();
        if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
            Header location = response.getFirstHeader("Location");
            return location == null ? new FetchException("Redirect without a Location from " + uri) : location.getValue();
        }
        if (status == 304) {
            return new Result(true, null, etag, lastModified);
        }
        if (status != 200) {
            return new FetchException("The server answered HTTP " + status + " for " + uri);
        }
        HttpEntity entity = response.getEntity();
        if (entity != null && entity.getContentLength() > config.maxBytes()) {
            return tooLarge();
        }
        byte[] body = new byte[0];
        if (entity != null) {
            try (InputStream in = entity.getContent()) {
                body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, config.maxBytes() + 1));
            }
        }
        if (body.length > config.maxBytes()) {
            return tooLarge();
        }
        Header newEtag = response.getFirstHeader("ETag");
        Header modified = response.getFirstHeader("Last-Modified");
        return new Result(false, body, newEtag == null ? null : newEtag.getValue(), modified == null ? null : modified.getValue());
    }

    /**
     * Checks that a URL is http(s) and, unless allowed, that its host resolves to public addresses only: the early
     * answer for a URL being saved. Each connection is checked again by the resolver, on the addresses it connects to.
     */
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
                resolver.resolve(uri.getHost());
            } catch (PublicAddressResolver.RefusedAddress e) {
                throw new FetchException(privateAddress(e));
            } catch (UnknownHostException e) {
                throw new FetchException("Unknown host " + uri.getHost());
            }
        }
        return uri;
    }

    private FetchException tooLarge() {
        long max = config.maxBytes();
        return new FetchException("The feed is larger than "
                + (max >= 1024 * 1024 ? max / (1024 * 1024) + " MB" : max / 1024 + " KB"));
    }

    private static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** What to do about a feed on a private network, the setting named last for whoever runs the server. */
    private static String privateAddress(PublicAddressResolver.RefusedAddress e) {
        return e.getMessage() + ", and Gazette fetches feeds only from public addresses. Use the feed's public address,"
                + " or ask whoever runs Gazette to allow private ones (setting gazette.feeds.allow-private-addresses)";
    }
}
