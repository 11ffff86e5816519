package dev.gazette.common;

import java.time.Duration;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;

/**
 * Builds the HTTP clients that request URLs users typed: names resolved once by a {@link PublicAddressResolver} and
 * connected to exactly the addresses it checked, no redirects followed (callers check each hop), no retries, no
 * cookies, no transparent decompression and no proxy from system properties.
 */
public final class GuardedHttpClients {

    private GuardedHttpClients() {
    }

    /** A client with the given connect timeout and the longest wait for data once connected. */
    public static CloseableHttpClient create(PublicAddressResolver resolver, Duration connectTimeout, Duration readTimeout) {
        ConnectionConfig connection = ConnectionConfig.custom().setConnectTimeout(Timeout.of(connectTimeout))
                .setSocketTimeout(Timeout.of(readTimeout)).build();
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().setDnsResolver(resolver)
                        .setDefaultConnectionConfig(connection).setMaxConnTotal(50).setMaxConnPerRoute(10).build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(readTimeout)).build())
                .disableRedirectHandling().disableAutomaticRetries().disableCookieManagement().disableAuthCaching()
                .disableContentCompression()
                .build();
    }
}
