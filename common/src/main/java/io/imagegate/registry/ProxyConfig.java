package io.imagegate.registry;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An HTTP proxy registries are reached through (see {@link TransportOptions#proxyFor(String,
 * String)}).
 *
 * @param scheme the scheme of the registry URLs it serves ({@code http} or {@code https})
 * @param host the proxy's host
 * @param port the proxy's port
 * @param username the proxy user, or null; sent with Basic authentication on every request (and
 *     {@code CONNECT})
 * @param password the proxy password, or null
 * @param nonProxyHosts hosts reached directly: names or {@code *} patterns, as Maven's {@code
 *     nonProxyHosts}
 */
public record ProxyConfig(
        String scheme,
        String host,
        int port,
        String username,
        String password,
        List<String> nonProxyHosts) {
    public ProxyConfig {
        scheme = Objects.requireNonNull(scheme, "scheme").toLowerCase(Locale.ROOT);
        Objects.requireNonNull(host, "host");
        nonProxyHosts = List.copyOf(nonProxyHosts);
    }

    /** Whether {@code host} (no port) is to be reached directly. */
    public boolean bypasses(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        if (lower.startsWith("[") && lower.endsWith("]")) {
            lower = lower.substring(1, lower.length() - 1);
        }
        for (String pattern : nonProxyHosts) {
            String regex = Pattern.quote(pattern.toLowerCase(Locale.ROOT)).replace("*", "\\E.*\\Q");
            if (lower.matches(regex)) {
                return true;
            }
        }
        return false;
    }

    public boolean hasCredentials() {
        return username != null && !username.isEmpty();
    }

    /** The password is never shown. */
    @Override
    public String toString() {
        return "ProxyConfig["
                + scheme
                + " via "
                + host
                + ":"
                + port
                + (hasCredentials() ? ", user " + username : "")
                + "]";
    }
}
