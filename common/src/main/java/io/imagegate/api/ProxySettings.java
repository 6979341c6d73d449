package io.imagegate.api;

import io.imagegate.message.ImageGateException;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An HTTP proxy that registries are reached through, as a front end knows it (a {@code <proxy>} of
 * Maven's {@code settings.xml}, Jenkins' proxy configuration). Registries reached over HTTPS use
 * the {@code https} proxy, else the {@code http} one (tunnelled with {@code CONNECT}); plain-HTTP
 * registries use the {@code http} proxy. The first proxy given for a scheme wins. Trivy, which
 * pulls the image itself, is given the same proxies.
 *
 * @param scheme the scheme of the registry URLs it serves: {@code http} or {@code https}
 * @param host the proxy's host
 * @param port the proxy's port
 * @param username a user name for the proxy (sent with Basic authentication), or null for none
 * @param password its password, or null
 * @param nonProxyHosts hosts reached directly: names, or patterns with {@code *} ({@code
 *     *.example.com}, {@code 192.168.*}), matched case-insensitively against the registry's host
 *     without its port
 */
public record ProxySettings(
        String scheme,
        String host,
        int port,
        String username,
        Secret password,
        List<String> nonProxyHosts)
        implements Serializable {
    public ProxySettings {
        scheme =
                scheme == null || scheme.isBlank()
                        ? "http"
                        : scheme.strip().toLowerCase(Locale.ROOT);
        host = Objects.requireNonNull(host, "host").strip();
        nonProxyHosts =
                nonProxyHosts == null
                        ? List.of()
                        : nonProxyHosts.stream()
                                .filter(Objects::nonNull)
                                .map(String::strip)
                                .filter(h -> !h.isEmpty())
                                .toList();
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ImageGateException.configuration(
                    "proxy.scheme",
                    "the proxy {0}:{1} is for {2}; registries are reached over http or" + " https",
                    host,
                    port,
                    scheme);
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw ImageGateException.configuration(
                    "proxy.address",
                    "the proxy \"{0}:{1}\" needs a host and a port from 1 to 65535",
                    host,
                    port);
        }
    }

    /** A proxy without credentials. */
    public static ProxySettings of(
            String scheme, String host, int port, List<String> nonProxyHosts) {
        return new ProxySettings(scheme, host, port, null, null, nonProxyHosts);
    }

    /** The same proxy with a user name and password. */
    public ProxySettings withCredentials(String user, Secret secret) {
        return new ProxySettings(scheme, host, port, user, secret, nonProxyHosts);
    }

    /** The password is never shown. */
    @Override
    public String toString() {
        return "ProxySettings["
                + scheme
                + " via "
                + host
                + ":"
                + port
                + (username == null ? "" : ", user " + username)
                + ", nonProxyHosts="
                + nonProxyHosts
                + "]";
    }
}
