package io.imagegate.scan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagegate.Json;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.ProxyConfig;
import io.imagegate.registry.TransportOptions;
import io.imagegate.registry.auth.Credentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The hermetic environment a Trivy run gets: only the variables that say where things are, the
 * proxies the registry client uses, and registry credentials in a per-run Docker config, never in
 * its arguments or our environment.
 */
final class TrivyEnvironment {
    private TrivyEnvironment() {}

    /**
     * What Trivy may see of our environment: where things are, proxies and TLS trust — never a
     * credential variable.
     */
    private static final java.util.Set<String> PASSED_ON =
            java.util.Set.of(
                    "PATH",
                    "HOME",
                    "USER",
                    "TMPDIR",
                    "TMP",
                    "TEMP",
                    "LANG",
                    "LC_ALL",
                    "TZ",
                    "SSL_CERT_FILE",
                    "SSL_CERT_DIR",
                    "HTTP_PROXY",
                    "HTTPS_PROXY",
                    "NO_PROXY",
                    "http_proxy",
                    "https_proxy",
                    "no_proxy",
                    "XDG_CACHE_HOME");

    /**
     * The child's environment: only the variables that say where things are (no {@code TRIVY_*}, no
     * {@code DOCKER_CONFIG}, and none of the variables that hold credentials imagegate resolved
     * itself).
     */
    static Map<String, String> hermetic(Map<String, String> env) {
        return env.entrySet().stream()
                .filter(e -> PASSED_ON.contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /**
     * The proxies the registry client uses, for Trivy (Go reads {@code HTTP_PROXY}, {@code
     * HTTPS_PROXY} and {@code NO_PROXY}): the same proxy per scheme, HTTPS falling back to the HTTP
     * one, and the same hosts reached directly. Credentials go into the proxy URL in the child's
     * environment, never on its command line.
     */
    static void proxyEnvironment(Map<String, String> env, TransportOptions transport) {
        Map<String, ProxyConfig> proxies = transport.proxies();
        if (proxies.isEmpty()) {
            return;
        }
        ProxyConfig http = proxies.get("http");
        ProxyConfig https = proxies.getOrDefault("https", http);
        List.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy")
                .forEach(env::remove);
        if (http != null) {
            env.put("HTTP_PROXY", proxyUrl(http));
        }
        if (https != null) {
            env.put("HTTPS_PROXY", proxyUrl(https));
        }
        String noProxy =
                proxies.values().stream()
                        .flatMap(p -> p.nonProxyHosts().stream())
                        .map(h -> h.startsWith("*.") ? h.substring(1) : h)
                        .distinct()
                        .collect(Collectors.joining(","));
        if (!noProxy.isEmpty()) {
            env.put("NO_PROXY", noProxy);
        }
    }

    private static String proxyUrl(ProxyConfig proxy) {
        String credentials =
                proxy.hasCredentials()
                        ? encode(proxy.username())
                                + ":"
                                + encode(proxy.password() == null ? "" : proxy.password())
                                + "@"
                        : "";
        String host =
                proxy.host().contains(":") && !proxy.host().startsWith("[")
                        ? "[" + proxy.host() + "]"
                        : proxy.host();
        return "http://" + credentials + host + ":" + proxy.port();
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    /**
     * A Docker config holding only {@code registry}'s entry, readable by its owner alone: Trivy's
     * credentials for one scan.
     */
    static void writeDockerConfig(Path file, String registry, Credentials creds)
            throws IOException {
        ObjectNode entry = Json.MAPPER.createObjectNode();
        switch (creds.kind()) {
            case BASIC ->
                    entry.put(
                            "auth",
                            Base64.getEncoder()
                                    .encodeToString(
                                            (creds.username() + ":" + creds.secret())
                                                    .getBytes(StandardCharsets.UTF_8)));
            case IDENTITY_TOKEN -> entry.put("identitytoken", creds.secret());
            case REGISTRY_TOKEN -> entry.put("registrytoken", creds.secret());
        }
        ObjectNode config = Json.MAPPER.createObjectNode();
        config.putObject("auths")
                .set(
                        registry.equals(ImageReference.DOCKER_HUB)
                                ? "https://index.docker.io/v1/"
                                : registry,
                        entry);
        Files.createFile(
                file,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, Json.MAPPER.writeValueAsBytes(config));
    }
}
