package io.imagegate.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Vocabulary;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.TestProxy;
import io.imagegate.testing.TestSettings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registries reached through an HTTP proxy (a front end's settings.xml proxy), against the real
 * registry.
 */
@NeedsComponents
class ProxyTest {
    @RegisterExtension static final RegistryExtension open = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension tls = RegistryExtension.tls();

    static TestImages.Image image;

    @TempDir Path dir;

    @BeforeAll
    static void push() {
        image = TestImages.cleanAlpine();
        new ImagePusher(open).push("src/app", "1", image);
    }

    private Settings settings() {
        return TestSettings.in(dir)
                .withRegistry(
                        RegistrySettings.of(tls.hostPort())
                                .withCaFile(tls.caCertificate().toString()));
    }

    private static ImportResult importTo(Settings settings, String target) {
        return ImageGate.create(settings)
                .importImage(
                        ImportSpec.builder()
                                .source(open.hostPort() + "/src/app:1")
                                .target(target)
                                .build(),
                        ProgressListener.NONE);
    }

    @Test
    void plainHttpGoesThroughTheHttpProxyAndHttpsThroughATunnelWithTheProxysCredentials() {
        try (TestProxy proxy = TestProxy.withCredentials("proxy-user", "proxy-Secret-1")) {
            Settings settings =
                    settings()
                            .withProxy(
                                    ProxySettings.of("http", proxy.host(), proxy.port(), List.of())
                                            .withCredentials(
                                                    "proxy-user", Secret.of("proxy-Secret-1")));

            ImportResult result = importTo(settings, tls.hostPort() + "/via-proxy/app:1");

            assertThat(result.outcome()).as(result.summary()).isEqualTo(Outcome.PASSED);
            assertThat(new ImagePusher(tls).manifestDigest("via-proxy/app", "1"))
                    .contains(image.digest());
            assertThat(proxy.seen())
                    .as("every connection went through the proxy, with its credentials")
                    .isNotEmpty()
                    .allMatch(TestProxy.Seen::authorized);
            assertThat(proxy.seen())
                    .anyMatch(
                            s -> s.method().equals("CONNECT") && s.target().equals(tls.hostPort()));
            assertThat(proxy.seen())
                    .anyMatch(s -> s.target().startsWith("http://" + open.hostPort() + "/v2/"));
        }
    }

    @Test
    void theHttpsProxyServesHttpsRegistriesAndNonProxyHostsAreReachedDirectly() {
        try (TestProxy http = TestProxy.open();
                TestProxy https = TestProxy.open()) {
            Settings settings =
                    settings()
                            .withProxy(
                                    ProxySettings.of(
                                            "https", https.host(), https.port(), List.of()))
                            .withProxy(
                                    ProxySettings.of(
                                            "http",
                                            http.host(),
                                            http.port(),
                                            List.of("localhost", "127.0.0.*")));

            assertThat(importTo(settings, tls.hostPort() + "/direct/app:1").outcome())
                    .isEqualTo(Outcome.PASSED);

            assertThat(http.seen()).as("the plain registry is a non-proxy host").isEmpty();
            assertThat(https.seen()).extracting(TestProxy.Seen::method).containsOnly("CONNECT");
        }
    }

    @Test
    void aProxyRefusingTheCredentialsIsAnAuthenticationErrorNamingTheProxy() {
        try (TestProxy proxy = TestProxy.withCredentials("proxy-user", "proxy-Secret-1")) {
            Settings settings =
                    settings()
                            .withProxy(
                                    ProxySettings.of("http", proxy.host(), proxy.port(), List.of())
                                            .withCredentials(
                                                    "proxy-user", Secret.of("wrong-Secret-2")));

            ImportResult result = importTo(settings, open.hostPort() + "/refused/app:1");

            assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(result.error().get().kind()).isEqualTo(ErrorKind.AUTHENTICATION);
            assertThat(result.error().get().render(Vocabulary.NEUTRAL))
                    .contains("HTTP 407")
                    .contains("proxy")
                    .doesNotContain("wrong-Secret-2");
        }
    }

    @Test
    void proxySettingsAreCheckedAndNeverShowTheirPassword() {
        ProxySettings proxy =
                ProxySettings.of("HTTP", "proxy.example.com", 3128, List.of(" *.example.com ", ""))
                        .withCredentials("u", Secret.of("s3cret"));
        assertThat(proxy.scheme()).isEqualTo("http");
        assertThat(proxy.nonProxyHosts()).containsExactly("*.example.com");
        assertThat(proxy.toString()).doesNotContain("s3cret");
        assertThat(
                        org.assertj.core.api.Assertions.catchThrowableOfType(
                                        ImageGateException.class,
                                        () ->
                                                ProxySettings.of(
                                                        "http", "proxy.example.com", 0, List.of()))
                                .kind())
                .isEqualTo(ErrorKind.CONFIGURATION);
        assertThat(
                        org.assertj.core.api.Assertions.catchThrowableOfType(
                                        ImageGateException.class,
                                        () ->
                                                ProxySettings.of(
                                                        "socks5",
                                                        "proxy.example.com",
                                                        1080,
                                                        List.of()))
                                .kind())
                .isEqualTo(ErrorKind.CONFIGURATION);
    }
}
