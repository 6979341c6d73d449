package io.imagegate.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.imagegate.api.CredentialRef;
import io.imagegate.api.ProxySettings;
import io.imagegate.api.RegistrySettings;
import io.imagegate.api.Settings;
import io.imagegate.message.ErrorKind;
import io.imagegate.message.ImageGateException;
import io.imagegate.message.Vocabulary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.building.DefaultSettingsProblem;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.junit.jupiter.api.Test;

/**
 * settings.xml as the API's settings: servers per registry, decrypted when first needed; active
 * proxies.
 */
class MavenSettingsTest {
    /** A decrypter that turns {x} into x, and reports an ERROR for {broken}. */
    static final class FakeDecrypter implements SettingsDecrypter {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public SettingsDecryptionResult decrypt(
                org.apache.maven.settings.crypto.SettingsDecryptionRequest request) {
            calls.incrementAndGet();
            List<SettingsProblem> problems = new ArrayList<>();
            List<Server> servers = new ArrayList<>();
            for (Server s : request.getServers()) {
                Server copy = s.clone();
                copy.setPassword(decrypt(s.getPassword(), "server " + s.getId(), problems));
                copy.setPassphrase(decrypt(s.getPassphrase(), "server " + s.getId(), problems));
                servers.add(copy);
            }
            List<Proxy> proxies = new ArrayList<>();
            for (Proxy p : request.getProxies()) {
                Proxy copy = p.clone();
                copy.setPassword(decrypt(p.getPassword(), "proxy " + p.getId(), problems));
                proxies.add(copy);
            }
            return new SettingsDecryptionResult() {
                @Override
                public Server getServer() {
                    return servers.isEmpty() ? null : servers.get(0);
                }

                @Override
                public List<Server> getServers() {
                    return servers;
                }

                @Override
                public Proxy getProxy() {
                    return proxies.isEmpty() ? null : proxies.get(0);
                }

                @Override
                public List<Proxy> getProxies() {
                    return proxies;
                }

                @Override
                public List<SettingsProblem> getProblems() {
                    return problems;
                }
            };
        }

        private static String decrypt(String value, String what, List<SettingsProblem> problems) {
            if ("{broken}".equals(value)) {
                problems.add(
                        new DefaultSettingsProblem(
                                "Failed to decrypt password for " + what + ": bad master password",
                                SettingsProblem.Severity.ERROR,
                                "settings.xml",
                                -1,
                                -1,
                                null));
                return value;
            }
            return value != null && value.startsWith("{")
                    ? value.substring(1, value.length() - 1)
                    : value;
        }
    }

    static Server server(String id, String user, String password) {
        Server s = new Server();
        s.setId(id);
        s.setUsername(user);
        s.setPassword(password);
        return s;
    }

    static org.apache.maven.settings.Settings settings(List<Server> servers, List<Proxy> proxies) {
        org.apache.maven.settings.Settings s = new org.apache.maven.settings.Settings();
        s.setServers(servers);
        s.setProxies(proxies);
        return s;
    }

    static final RegistryParameters NONE =
            new RegistryParameters(List.of(), Map.of(), List.of(), List.of());

    private static CredentialRef credentialsOf(Settings settings, String registry) {
        return settings.registries().stream()
                .filter(r -> r.registry().equals(registry))
                .findFirst()
                .flatMap(RegistrySettings::credentials)
                .orElseThrow();
    }

    @Test
    void everyServerServesTheRegistryOfItsIdAndIsDecryptedOnlyWhenFirstNeeded() throws Exception {
        FakeDecrypter decrypter = new FakeDecrypter();
        Settings api =
                new MavenSettings(
                                settings(
                                        List.of(
                                                server(
                                                        "registry.example.com:5000",
                                                        "alice",
                                                        "{s3cret}"),
                                                server("central", "deployer", "{broken}")),
                                        List.of()),
                                decrypter)
                        .build(Path.of("."), NONE);

        assertThat(decrypter.calls).hasValue(0);
        CredentialRef ref = credentialsOf(api, "registry.example.com:5000");
        assertThat(ref).isInstanceOf(CredentialRef.Lookup.class);
        CredentialRef resolved = ((CredentialRef.Lookup) ref).source().get();
        assertThat(resolved)
                .as("labelled with its server, which a refusal names")
                .isEqualTo(
                        CredentialRef.labelled(
                                CredentialRef.usernamePassword("alice", "s3cret"),
                                "settings.xml server \"registry.example.com:5000\""));
        assertThat(decrypter.calls)
                .as("the broken server of another registry is never decrypted")
                .hasValue(1);
    }

    static Server keyServer(String id, String privateKey, String passphrase) {
        Server s = new Server();
        s.setId(id);
        s.setPrivateKey(privateKey);
        s.setPassphrase(passphrase);
        return s;
    }

    @Test
    void aSigningKeyServerGivesItsPrivateKeyAndItsDecryptedPassphraseOnlyToTheApisEnvironment()
            throws Exception {
        Server signing = keyServer("signing", "/keys/cosign.key", "{key-Passphrase-1}");
        signing.setPassword("{broken}"); // not this key's: never decrypted
        FakeDecrypter decrypter = new FakeDecrypter();
        MavenSettings maven =
                new MavenSettings(
                        settings(
                                List.of(signing, keyServer("plain", " /keys/plain.key ", null)),
                                List.of()),
                        decrypter);

        MavenSettings.SigningKeyServer key = maven.signingKey("signing");
        assertThat(key.privateKey()).isEqualTo(Path.of("/keys/cosign.key"));
        assertThat(key.passphrase().reveal()).isEqualTo("key-Passphrase-1");
        assertThat(key.toString()).doesNotContain("key-Passphrase-1");
        assertThat(key.variables())
                .isEqualTo(Map.of("IMAGEGATE_SIGNING_KEY_PASSWORD", "key-Passphrase-1"));
        Settings api = maven.build(Path.of("."), NONE, key.variables());
        assertThat(api.environment().variable("IMAGEGATE_SIGNING_KEY_PASSWORD"))
                .isEqualTo("key-Passphrase-1");
        assertThat(System.getenv("IMAGEGATE_SIGNING_KEY_PASSWORD"))
                .as("the process's own environment is untouched")
                .isNull();
        assertThat(api.environment().toString()).doesNotContain("key-Passphrase-1");

        MavenSettings.SigningKeyServer plain = maven.signingKey("plain");
        assertThat(plain.privateKey()).isEqualTo(Path.of("/keys/plain.key"));
        assertThat(plain.passphrase()).isNull();
        assertThat(plain.variables())
                .as("no passphrase: the environment's own variables apply")
                .isEmpty();
        assertThat(decrypter.calls)
                .as("a server without a passphrase needs no decryption")
                .hasValue(1);
    }

    @Test
    void aSigningKeyServerThatIsMissingHasNoKeyOrCannotBeDecryptedFailsNamingIt() {
        MavenSettings maven =
                new MavenSettings(
                        settings(
                                List.of(
                                        keyServer("nokey", null, "{p}"),
                                        keyServer("broken", "/k", "{broken}")),
                                List.of()),
                        new FakeDecrypter());
        assertThatThrownBy(() -> maven.signingKey("nope"))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage(
                        "there is no <server> with the id \"nope\" in settings.xml (named by -Dregistry.signingKeyServer)");
        assertThatThrownBy(() -> maven.signingKey("nokey"))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageContaining(
                        "the settings.xml server \"nokey\" (named by -Dregistry.signingKeyServer) has no <privateKey>");
        assertThatThrownBy(() -> maven.signingKey("broken"))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageContaining("settings.xml server \"broken\" cannot be decrypted")
                .hasMessageNotContaining("{broken}");
    }

    @Test
    void aServerThatCannotBeDecryptedFailsNamingItButNeverItsSecret() throws Exception {
        Settings api =
                new MavenSettings(
                                settings(
                                        List.of(
                                                server(
                                                        "registry.example.com",
                                                        "alice",
                                                        "{broken}")),
                                        List.of()),
                                new FakeDecrypter())
                        .build(Path.of("."), NONE);
        CredentialRef.Lookup ref =
                (CredentialRef.Lookup) credentialsOf(api, "registry.example.com");

        ImageGateException e =
                catchThrowableOfType(ImageGateException.class, () -> ref.source().get());

        assertThat(e.kind()).isEqualTo(ErrorKind.CONFIGURATION);
        assertThat(e.render(Vocabulary.NEUTRAL))
                .contains("settings.xml server \"registry.example.com\" cannot be decrypted")
                .contains("bad master password")
                .doesNotContain("{broken}");
    }

    @Test
    void explicitServerIdsWinAndAnUnknownOneIsAnErrorAtOnce() throws Exception {
        MavenSettings maven =
                new MavenSettings(
                        settings(
                                List.of(
                                        server("registry.example.com", "host-match", "{a}"),
                                        server("corporate", "named", "{b}")),
                                List.of()),
                        new FakeDecrypter());
        Settings api =
                maven.build(
                        Path.of("."),
                        new RegistryParameters(
                                List.of(),
                                Map.of("registry.example.com", "corporate"),
                                List.of(),
                                List.of()));

        CredentialRef.Lookup ref =
                (CredentialRef.Lookup) credentialsOf(api, "registry.example.com");
        assertThat(ref.source().get())
                .isEqualTo(
                        CredentialRef.labelled(
                                CredentialRef.usernamePassword("named", "b"),
                                "settings.xml server \"corporate\""));
        assertThatThrownBy(() -> maven.serverCredentials("nope"))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageContaining("no <server> with the id \"nope\"");
    }

    @Test
    void activeProxiesWithDecryptedPasswordsAndTheirNonProxyHosts() throws Exception {
        Proxy inactive = proxy("off", false, "http", null);
        Proxy active = proxy("corporate", true, "https", "{pw}");
        active.setNonProxyHosts("localhost|*.internal.example.com");
        List<ProxySettings> proxies =
                new MavenSettings(
                                settings(List.of(), List.of(inactive, active)), new FakeDecrypter())
                        .proxies();

        assertThat(proxies)
                .singleElement()
                .satisfies(
                        p -> {
                            assertThat(p.scheme()).isEqualTo("https");
                            assertThat(p.host()).isEqualTo("proxy.example.com");
                            assertThat(p.port()).isEqualTo(3128);
                            assertThat(p.username()).isEqualTo("user");
                            assertThat(p.password().reveal()).isEqualTo("pw");
                            assertThat(p.nonProxyHosts())
                                    .containsExactly("localhost", "*.internal.example.com");
                        });

        Proxy broken = proxy("broken", true, "http", "{broken}");
        assertThatThrownBy(
                        () ->
                                new MavenSettings(
                                                settings(List.of(), List.of(broken)),
                                                new FakeDecrypter())
                                        .proxies())
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageContaining("settings.xml proxy \"broken\" cannot be decrypted")
                .hasNoCause();
    }

    @Test
    void registryParametersBecomeRegistrySettings() throws Exception {
        Settings api =
                new MavenSettings(null, new FakeDecrypter())
                        .build(
                                Path.of("/work"),
                                new RegistryParameters(
                                        List.of("ghcr.io=GH_USER:GH_TOKEN"),
                                        Map.of(),
                                        List.of("insecure.example:5000"),
                                        List.of("/ca.pem", "tls.example=/tls.pem")));

        assertThat(api.environment().workingDirectory())
                .isEqualTo(Path.of("/work").toAbsolutePath().toString());
        assertThat(credentialsOf(api, "ghcr.io"))
                .isInstanceOf(CredentialRef.EnvironmentVariables.class);
        assertThat(api.registries())
                .anyMatch(r -> r.registry().equals("insecure.example:5000") && r.plainHttp());
        assertThat(api.registries())
                .anyMatch(
                        r -> r.registry().isEmpty() && r.caFile().orElseThrow().equals("/ca.pem"));
        assertThat(api.registries())
                .anyMatch(
                        r ->
                                r.registry().equals("tls.example")
                                        && r.caFile().orElseThrow().equals("/tls.pem"));

        assertThatThrownBy(
                        () ->
                                new MavenSettings(null, null)
                                        .build(
                                                Path.of("."),
                                                new RegistryParameters(
                                                        List.of("no-equals"),
                                                        Map.of(),
                                                        List.of(),
                                                        List.of())))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageContaining(
                        "<credentialsEnv>/-Dregistry.credentialsEnv takes REGISTRY=VAR");
    }

    private static Proxy proxy(String id, boolean active, String protocol, String password) {
        Proxy p = new Proxy();
        p.setId(id);
        p.setActive(active);
        p.setProtocol(protocol);
        p.setHost("proxy.example.com");
        p.setPort(3128);
        if (password != null) {
            p.setUsername("user");
            p.setPassword(password);
        }
        return p;
    }
}
