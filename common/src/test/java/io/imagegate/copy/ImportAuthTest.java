package io.imagegate.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagegate.message.ImageGateException;
import io.imagegate.oci.Platform;
import io.imagegate.reference.ImageReference;
import io.imagegate.registry.RegistryClient;
import io.imagegate.registry.RegistryException;
import io.imagegate.registry.TransportListener;
import io.imagegate.registry.TransportOptions;
import io.imagegate.registry.auth.CredentialProvider;
import io.imagegate.registry.auth.Credentials;
import io.imagegate.registry.auth.DockerConfigCredentials;
import io.imagegate.registry.auth.EnvironmentCredentials;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.RegistryFront;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.TokenServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Every auth variant pulls and pushes through the importer, against the real registry. */
@NeedsComponents
class ImportAuthTest {
    @RegisterExtension static final RegistryExtension open = RegistryExtension.anonymous();
    @RegisterExtension static final RegistryExtension basic = RegistryExtension.htpasswd();
    @RegisterExtension static final RegistryExtension token = RegistryExtension.tokenAuth();

    @RegisterExtension
    static final RegistryExtension accessTokenOnly =
            RegistryExtension.tokenAuth(TokenServer.TokenField.ACCESS_TOKEN, 300);

    @RegisterExtension static final RegistryExtension tls = RegistryExtension.tls();

    static TestImages.Index image;

    @TempDir Path dir;

    @BeforeAll
    static void pushSource() {
        image =
                TestImages.randomIndex(
                        50,
                        List.of(Platform.parse("linux/amd64"), Platform.parse("linux/arm64/v8")),
                        8_000,
                        List.of(),
                        true);
        new ImagePusher(open).push("src/app", "1", image);
    }

    private static ImageReference ref(RegistryExtension registry, String repoAndTag) {
        return ImageReference.parse(registry.hostPort() + "/" + repoAndTag);
    }

    private static CredentialProvider user(
            RegistryExtension registry, String name, String password) {
        return EnvironmentCredentials.forRegistry(
                registry.hostPort(), Credentials.basic(name, password));
    }

    private static CopyResult importWith(
            TransportOptions options,
            CredentialProvider credentials,
            ImageReference from,
            ImageReference to) {
        try (RegistryClient client =
                new RegistryClient(options, credentials, TransportListener.NONE)) {
            return new ImageImporter(client, ImportListener.NONE)
                    .importImage(ImportRequest.of(from, to));
        }
    }

    /** Push into the variant, then pull back out of it into a fresh repository. */
    private static void roundTrip(
            RegistryExtension registry, TransportOptions options, CredentialProvider credentials) {
        CopyResult pushed =
                importWith(
                        options, credentials, ref(open, "src/app:1"), ref(registry, "team/app:1"));
        assertThat(pushed.target().digest()).contains(image.digest());
        CopyResult pulled =
                importWith(
                        options,
                        credentials,
                        ref(registry, "team/app:1"),
                        ref(open, "back/" + registry.variant().name().toLowerCase() + ":1"));
        assertThat(pulled.target().digest()).contains(image.digest());
        assertThat(new ImagePusher(registry).manifestDigest("team/app", "1"))
                .contains(image.digest());
    }

    @Test
    void htpasswdPullsAndPushes() {
        roundTrip(
                basic,
                TransportOptions.defaults(),
                user(basic, RegistryExtension.PUSH_USER, RegistryExtension.PUSH_PASSWORD));
    }

    @Test
    void htpasswdWithoutCredentialsSaysSo() {
        assertThatThrownBy(
                        () ->
                                importWith(
                                        TransportOptions.defaults(),
                                        CredentialProvider.anonymous(),
                                        ref(open, "src/app:1"),
                                        ref(basic, "nocreds/app:1")))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("credentials used for " + basic.hostPort());
    }

    @Test
    void tokenAuthPullsAndPushesWithScopedTokens() {
        roundTrip(
                token,
                TransportOptions.defaults(),
                user(token, RegistryExtension.PUSH_USER, RegistryExtension.PUSH_PASSWORD));
        List<String> scopes = token.tokenServer().orElseThrow().scopes();
        assertThat(scopes).contains("repository:team/app:pull,push", "repository:team/app:pull");
    }

    @Test
    void tokensAreCachedPerScopeWithinAClient() {
        TokenServer server = token.tokenServer().orElseThrow();
        CredentialProvider alice =
                user(token, RegistryExtension.PUSH_USER, RegistryExtension.PUSH_PASSWORD);
        try (RegistryClient client =
                new RegistryClient(TransportOptions.defaults(), alice, TransportListener.NONE)) {
            ImageImporter importer = new ImageImporter(client, ImportListener.NONE);
            importer.importImage(
                    ImportRequest.of(ref(open, "src/app:1"), ref(token, "cached/app:1")));
            int afterFirst = server.requests();
            CopyResult again =
                    importer.importImage(
                            ImportRequest.of(ref(open, "src/app:1"), ref(token, "cached/app:1")));
            assertThat(again.upToDate()).isTrue();
            assertThat(server.requests()).isEqualTo(afterFirst);
        }
    }

    @Test
    void mountsUnderTokenAuthAskForTheSourceRepositoryToo() {
        CredentialProvider alice =
                user(token, RegistryExtension.PUSH_USER, RegistryExtension.PUSH_PASSWORD);
        importWith(
                TransportOptions.defaults(),
                alice,
                ref(open, "src/app:1"),
                ref(token, "mount/src:1"));
        CopyResult mounted =
                importWith(
                        TransportOptions.defaults(),
                        alice,
                        ref(token, "mount/src:1"),
                        ref(token, "mount/dst:1"));
        assertThat(mounted.mounted().blobs()).isEqualTo(4);
        assertThat(mounted.copied().blobs()).isZero();
        assertThat(token.tokenServer().orElseThrow().scopes())
                .contains("repository:mount/dst:pull,push", "repository:mount/src:pull");
    }

    @Test
    void accessTokenFieldIsAcceptedToo() {
        roundTrip(
                accessTokenOnly,
                TransportOptions.defaults(),
                user(
                        accessTokenOnly,
                        RegistryExtension.PUSH_USER,
                        RegistryExtension.PUSH_PASSWORD));
    }

    @Test
    void aPullOnlyTokenFailsToPushWithAClearMessage() {
        CredentialProvider reader =
                user(token, RegistryExtension.PULL_USER, RegistryExtension.PULL_PASSWORD);
        assertThatThrownBy(
                        () ->
                                importWith(
                                        TransportOptions.defaults(),
                                        reader,
                                        ref(open, "src/app:1"),
                                        ref(token, "readonly/app:1")))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining(token.hostPort() + "/readonly/app")
                .hasMessageContaining("do not allow push on readonly/app")
                .hasMessageNotContaining(RegistryExtension.PULL_PASSWORD);
        assertThat(new ImagePusher(token).tagExists("readonly/app", "1")).isFalse();
    }

    @Test
    void aWrongPasswordIsNamedWithoutTheSecret() {
        CredentialProvider wrong = user(token, RegistryExtension.PUSH_USER, "not-the-password-xyz");
        assertThatThrownBy(
                        () ->
                                importWith(
                                        TransportOptions.defaults(),
                                        wrong,
                                        ref(open, "src/app:1"),
                                        ref(token, "wrong/app:1")))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("refused the credentials for user \"alice\"")
                .hasMessageNotContaining("not-the-password-xyz");
    }

    @Test
    void anonymousTokensPullOnlyPublicRepositories() {
        importWith(
                TransportOptions.defaults(),
                user(token, RegistryExtension.PUSH_USER, RegistryExtension.PUSH_PASSWORD),
                ref(open, "src/app:1"),
                ref(token, "public/app:1"));
        CopyResult pulled =
                importWith(
                        TransportOptions.defaults(),
                        CredentialProvider.anonymous(),
                        ref(token, "public/app:1"),
                        ref(open, "anon/app:1"));
        assertThat(pulled.target().digest()).contains(image.digest());
    }

    @Test
    void dockerConfigAuthsAndIdentityTokens() throws IOException {
        String auth =
                Base64.getEncoder()
                        .encodeToString(
                                (RegistryExtension.PUSH_USER
                                                + ":"
                                                + RegistryExtension.PUSH_PASSWORD)
                                        .getBytes(StandardCharsets.UTF_8));
        Files.writeString(
                dir.resolve("config.json"),
                """
                {"auths": {
                  "%s": {"auth": "%s"},
                  "%s": {"identitytoken": "%s"}
                }}"""
                        .formatted(
                                basic.hostPort(),
                                auth,
                                token.hostPort(),
                                RegistryExtension.REFRESH_TOKEN));
        DockerConfigCredentials config =
                DockerConfigCredentials.fromEnvironment(
                        Map.of("DOCKER_CONFIG", dir.toString()), dir);

        assertThat(
                        importWith(
                                        TransportOptions.defaults(),
                                        config,
                                        ref(open, "src/app:1"),
                                        ref(basic, "cfg/app:1"))
                                .target()
                                .digest())
                .contains(image.digest());
        // the identity token goes to the token endpoint as an OAuth2 refresh_token grant
        assertThat(
                        importWith(
                                        TransportOptions.defaults(),
                                        config,
                                        ref(open, "src/app:1"),
                                        ref(token, "cfg/app:1"))
                                .target()
                                .digest())
                .contains(image.digest());
    }

    @Test
    void tlsWithTheGeneratedCa() {
        roundTrip(
                tls,
                TransportOptions.defaults().withCaFile(tls.caCertificate()),
                CredentialProvider.anonymous());
    }

    @Test
    void tlsWithoutTheCaIsRefusedWithAHint() {
        assertThatThrownBy(
                        () ->
                                importWith(
                                        TransportOptions.defaults(),
                                        CredentialProvider.anonymous(),
                                        ref(open, "src/app:1"),
                                        ref(tls, "untrusted/app:1")))
                .isInstanceOf(ImageGateException.class)
                .hasMessageContaining(tls.hostPort())
                .hasMessageContaining("CA file");
    }

    @Test
    void aRedirectToAnotherHostDropsAuthorization() {
        importWith(
                TransportOptions.defaults(),
                user(basic, RegistryExtension.PUSH_USER, RegistryExtension.PUSH_PASSWORD),
                ref(open, "src/app:1"),
                ref(basic, "redirect/app:1"));
        try (RegistryFront front = new RegistryFront(basic)) {
            front.redirectBlobs(true);
            CredentialProvider alice =
                    EnvironmentCredentials.forRegistry(
                            front.hostPort(),
                            Credentials.basic(
                                    RegistryExtension.PUSH_USER, RegistryExtension.PUSH_PASSWORD));
            CopyResult result =
                    importWith(
                            TransportOptions.defaults(),
                            alice,
                            ImageReference.parse(front.hostPort() + "/redirect/app:1"),
                            ref(open, "redirected/app:1"));

            assertThat(result.target().digest()).contains(image.digest());
            assertThat(front.redirectedRequestHeaders())
                    .hasSize(result.copied().blobs())
                    .allSatisfy(
                            headers ->
                                    assertThat(headers.keySet())
                                            .noneMatch(h -> h.equalsIgnoreCase("Authorization")));
            assertThat(front.requests())
                    .filteredOn(r -> r.status() == 307)
                    .allSatisfy(
                            r ->
                                    assertThat(r.headers().keySet())
                                            .anyMatch(h -> h.equalsIgnoreCase("Authorization")));
        }
    }
}
