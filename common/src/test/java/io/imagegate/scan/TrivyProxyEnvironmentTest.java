package io.imagegate.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.registry.ProxyConfig;
import io.imagegate.registry.TransportOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Trivy pulls images itself: it is given the registry client's proxies, in Go's variables. */
class TrivyProxyEnvironmentTest {
    @Test
    void theClientsProxiesBecomeGosVariablesWithTheSameBypassList() {
        Map<String, String> env =
                new HashMap<>(Map.of("https_proxy", "http://inherited:1", "PATH", "/usr/bin"));
        TransportOptions options =
                TransportOptions.defaults()
                        .withProxy(
                                new ProxyConfig(
                                        "http",
                                        "proxy.example.com",
                                        3128,
                                        "us er",
                                        "p@ss:w/rd",
                                        List.of("*.internal", "localhost")));

        TrivyEnvironment.proxyEnvironment(env, options);

        assertThat(env)
                .containsEntry(
                        "HTTP_PROXY", "http://us%20er:p%40ss%3Aw%2Frd@proxy.example.com:3128")
                .containsEntry(
                        "HTTPS_PROXY", "http://us%20er:p%40ss%3Aw%2Frd@proxy.example.com:3128")
                .containsEntry("NO_PROXY", ".internal,localhost")
                .containsEntry("PATH", "/usr/bin")
                .doesNotContainKey("https_proxy");
    }

    @Test
    void withoutProxiesTheInheritedVariablesStay() {
        Map<String, String> env = new HashMap<>(Map.of("HTTPS_PROXY", "http://inherited:1"));
        TrivyEnvironment.proxyEnvironment(env, TransportOptions.defaults());
        assertThat(env).containsExactly(Map.entry("HTTPS_PROXY", "http://inherited:1"));
    }
}
