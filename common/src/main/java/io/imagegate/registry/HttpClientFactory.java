package io.imagegate.registry;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.cookie.CookieSpecFactory;
import org.apache.hc.client5.http.impl.auth.BasicScheme;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The one pooled HTTP/1.1 client registries are reached with: several connections per host, TLS
 * trust per registry, header lines and counts capped (a 200 MiB {@code WWW-Authenticate} header is
 * refused, not read), connections that never log headers or bytes (credentials stay out of a host's
 * debug log), no automatic redirects, retries, decompression or cookies (each is imagegate's own
 * business); the configured HTTP proxy per scheme (HTTPS tunnelled with {@code CONNECT}), hosts in
 * its {@code nonProxyHosts} reached directly.
 */
final class HttpClientFactory {
    static final String USER_AGENT = "imagegate/0.1";

    /** Longest header line accepted; real registry headers are far below. */
    static final int MAX_LINE_LENGTH = 64 * 1024;

    static final int MAX_HEADER_COUNT = 200;

    private HttpClientFactory() {}

    /** Each client's pool, to drop its idle connections (weak keys: a client closed and gone). */
    private static final Map<CloseableHttpClient, PoolingHttpClientConnectionManager> POOLS =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /**
     * Closes the idle connections {@code client} keeps for reuse, leaving those in use alone: after
     * one of them failed as a connection the server had closed (it restarted, or closes idle ones
     * sooner than the pool checks them before reuse, after 2 s), its siblings are most likely
     * closed too.
     */
    static void closeIdle(CloseableHttpClient client) {
        PoolingHttpClientConnectionManager pool = POOLS.get(client);
        if (pool != null) {
            pool.closeIdle(TimeValue.ZERO_MILLISECONDS);
        }
    }

    static CloseableHttpClient create(TransportOptions options) {
        PoolingHttpClientConnectionManager connections =
                PoolingHttpClientConnectionManagerBuilder.create()
                        .setTlsSocketStrategy(new PerRegistryTls(options))
                        // Connections that log nothing: HttpClient's own would put Authorization
                        // headers in the host's debug log.
                        .setConnectionFactory(
                                new QuietConnections(
                                        Http1Config.custom()
                                                .setMaxLineLength(MAX_LINE_LENGTH)
                                                .setMaxHeaderCount(MAX_HEADER_COUNT)
                                                .setMaxEmptyLineCount(16)
                                                .build()))
                        .setMaxConnTotal(64)
                        .setMaxConnPerRoute(16)
                        .setDefaultConnectionConfig(
                                ConnectionConfig.custom()
                                        .setConnectTimeout(Timeout.of(options.connectTimeout()))
                                        // The watchdog bounds each exchange; this only catches a
                                        // socket silent for a whole exchange.
                                        .setSocketTimeout(
                                                Timeout.of(
                                                        options.exchangeTimeout().plusSeconds(5)))
                                        .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                                        .build())
                        .build();
        CloseableHttpClient client =
                HttpClients.custom()
                        .setConnectionManager(connections)
                        .setUserAgent(USER_AGENT)
                        .disableRedirectHandling()
                        // bytes must arrive as stored, or digests change
                        .disableContentCompression()
                        .disableAutomaticRetries()
                        .disableCookieManagement()
                        // Registries set no cookies; without this the builder parses the public
                        // suffix list for a cookie registry nobody uses, most of the client's
                        // start-up time (seen with JFR, docs/performance.md).
                        .setDefaultCookieSpecRegistry(
                                RegistryBuilder.<CookieSpecFactory>create().build())
                        .disableAuthCaching()
                        .setDefaultRequestConfig(
                                RequestConfig.custom()
                                        .setResponseTimeout(
                                                Timeout.of(
                                                        options.exchangeTimeout().plusSeconds(5)))
                                        .setAuthenticationEnabled(false)
                                        .build())
                        .evictIdleConnections(TimeValue.ofSeconds(30))
                        .setRoutePlanner(new ProxyPlanner(options))
                        .build();
        POOLS.put(client, connections);
        return client;
    }

    /** The proxy a request to {@code target} goes through, if any. */
    static Optional<HttpHost> proxy(TransportOptions options, HttpHost target) {
        return options.proxyFor(target.getSchemeName(), target.getHostName())
                .map(p -> new HttpHost("http", p.host(), p.port()));
    }

    /**
     * The context for one request: with the proxy's credentials sent preemptively (Basic) when the
     * request goes through a proxy that has them, on the request itself or on the {@code CONNECT}
     * that opens a tunnel; null (a fresh context) otherwise. The client's own authentication stays
     * off: registry auth is imagegate's business.
     */
    static HttpClientContext context(TransportOptions options, URI uri) {
        if (options.proxies().isEmpty() || uri.getScheme() == null || uri.getHost() == null) {
            return null;
        }
        Optional<ProxyConfig> proxy =
                options.proxyFor(uri.getScheme(), uri.getHost())
                        .filter(ProxyConfig::hasCredentials);
        if (proxy.isEmpty()) {
            return null;
        }
        ProxyConfig p = proxy.get();
        BasicScheme basic = new BasicScheme();
        basic.initPreemptive(
                new UsernamePasswordCredentials(
                        p.username(),
                        p.password() == null ? new char[0] : p.password().toCharArray()));
        HttpClientContext context = HttpClientContext.create();
        context.resetAuthExchange(new HttpHost("http", p.host(), p.port()), basic);
        return context;
    }

    /**
     * Routes through the proxy {@link TransportOptions#proxyFor} names; direct otherwise (no system
     * proxy settings).
     */
    private static final class ProxyPlanner extends DefaultRoutePlanner {
        private final TransportOptions options;

        ProxyPlanner(TransportOptions options) {
            super(null);
            this.options = options;
        }

        @Override
        protected HttpHost determineProxy(HttpHost target, HttpContext context) {
            return proxy(options, target).orElse(null);
        }
    }

    /**
     * TLS set up on the first HTTPS connection to a registry, with that registry's CA file: loading
     * the JVM trust store costs a short-lived process about a tenth of a second, wasted when every
     * registry it talks to is plain-HTTP loopback. Bad CA files are still reported up front.
     */
    private static final class PerRegistryTls implements TlsSocketStrategy {
        private final TransportOptions options;
        private final Map<Optional<Path>, TlsSocketStrategy> byCaFile = new ConcurrentHashMap<>();

        PerRegistryTls(TransportOptions options) {
            this.options = options;
            options.registries()
                    .values()
                    .forEach(c -> c.caFile().ifPresent(TlsContexts::checkReadable));
        }

        @Override
        public SSLSocket upgrade(
                Socket socket, String target, int port, Object attachment, HttpContext context)
                throws IOException {
            String registry = port == 443 ? target : target + ":" + port;
            Optional<Path> ca = options.caFile(registry);
            TlsSocketStrategy tls =
                    byCaFile.computeIfAbsent(
                            ca,
                            file ->
                                    ClientTlsStrategyBuilder.create()
                                            .setSslContext(TlsContexts.create(file))
                                            .buildClassic());
            return tls.upgrade(socket, target, port, attachment, context);
        }
    }
}
