package io.imagegate.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.message.ErrorKind;
import io.imagegate.testing.ImagePusher;
import io.imagegate.testing.NeedsComponents;
import io.imagegate.testing.RegistryExtension;
import io.imagegate.testing.TestImages;
import io.imagegate.testing.TestSettings;
import io.imagegate.testing.TokenServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry that refuses the credentials a machine holds for it but allows anonymous pulls (as
 * Docker Hub does with a stale login): the error says so in one line, naming where the credentials
 * came from and the fix; {@code anonymous} reads it without them.
 */
@NeedsComponents
class AnonymousPullTest {
    /** Its token server grants anonymous pulls of public/… only. */
    @RegisterExtension static final RegistryExtension token = RegistryExtension.tokenAuth();

    @RegisterExtension static final RegistryExtension open = RegistryExtension.anonymous();

    @TempDir Path dir;

    @BeforeAll
    static void pushPublicImage() {
        new ImagePusher(token).push("public/app", "1", TestImages.cleanAlpine());
    }

    private ImportResult importWith(Settings settings, String target) {
        return ImageGate.create(settings)
                .importImage(
                        ImportSpec.builder()
                                .source(token.hostPort() + "/public/app:1")
                                .target(open.hostPort() + "/" + target)
                                .build(),
                        ProgressListener.NONE);
    }

    @Test
    void staleCredentialsFromVariablesAreNamedWithTheFix() {
        int before = token.tokenServer().map(TokenServer::requests).orElseThrow();
        Settings stale =
                TestSettings.in(
                                dir,
                                Map.of(
                                        "STALE_USER",
                                        RegistryExtension.PULL_USER,
                                        "STALE_PASS",
                                        "expired-Secret"))
                        .withRegistry(
                                RegistrySettings.of(token.hostPort())
                                        .withCredentials(
                                                CredentialRef.environment(
                                                        "STALE_USER:STALE_PASS")));
        ImportResult refused = importWith(stale, "copy/app:1");
        assertThat(refused.outcome()).isEqualTo(Outcome.ERROR);
        var error = refused.error().orElseThrow();
        assertThat(error.kind()).isEqualTo(ErrorKind.AUTHENTICATION);
        assertThat(error.getMessage())
                .doesNotContain("\n")
                .contains(
                        token.hostPort()
                                + " refused the credentials from environment variables STALE_USER and"
                                + " STALE_PASS")
                .contains("allows anonymous pulls")
                .contains("anonymous " + token.hostPort())
                .doesNotContain("expired-Secret");
        // one refused token request, one anonymous probe token: never a silent anonymous pull
        assertThat(token.tokenServer().orElseThrow().requests() - before).isLessThanOrEqualTo(3);
        assertThat(new ImagePusher(open).tagExists("copy/app", "1")).isFalse();

        // anonymous: the stored credentials are not sent, and the pull works
        ImportResult anonymous =
                importWith(
                        stale.withRegistry(
                                RegistrySettings.of(token.hostPort()).withAnonymous(true)),
                        "copy/app:1");
        assertThat(anonymous.outcome()).as(anonymous.toString()).isEqualTo(Outcome.PASSED);
        assertThat(new ImagePusher(open).tagExists("copy/app", "1")).isTrue();
    }

    @Test
    void staleDockerLoginIsNamedWithDockerLogout() throws IOException {
        Path config = Files.createDirectories(dir.resolve("docker"));
        String auth =
                Base64.getEncoder()
                        .encodeToString(
                                (RegistryExtension.PULL_USER + ":expired-Secret")
                                        .getBytes(StandardCharsets.UTF_8));
        Files.writeString(
                config.resolve("config.json"),
                "{\"auths\":{\"" + token.hostPort() + "\":{\"auth\":\"" + auth + "\"}}}");
        ImportResult refused =
                importWith(
                        TestSettings.in(dir, Map.of("DOCKER_CONFIG", config.toString())),
                        "docker/app:1");
        assertThat(refused.error().orElseThrow().getMessage())
                .contains(
                        "Docker config "
                                + config.resolve("config.json")
                                + ", auths \""
                                + token.hostPort()
                                + "\"")
                .contains("run `docker logout " + token.hostPort() + "`")
                .doesNotContain("expired-Secret");
    }

    @Test
    void credentialsRefusedWhereAnonymousPullsAreNotAllowedAreABareRefusal() {
        new ImagePusher(token).push("private/app", "1", TestImages.cleanAlpine());
        Settings stale =
                TestSettings.in(
                                dir,
                                Map.of(
                                        "STALE_USER",
                                        RegistryExtension.PULL_USER,
                                        "STALE_PASS",
                                        "expired-Secret"))
                        .withRegistry(
                                RegistrySettings.of(token.hostPort())
                                        .withCredentials(
                                                CredentialRef.environment(
                                                        "STALE_USER:STALE_PASS")));
        ImportResult refused =
                ImageGate.create(stale)
                        .importImage(
                                ImportSpec.builder()
                                        .source(token.hostPort() + "/private/app:1")
                                        .target(open.hostPort() + "/private/app:1")
                                        .build(),
                                ProgressListener.NONE);
        assertThat(refused.error().orElseThrow().getMessage())
                .contains("refused the credentials")
                .doesNotContain("anonymous pulls");
    }
}
